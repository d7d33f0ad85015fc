import Testing
@testable import VendorRisk

@Suite("Mapping on every core")
struct ConcurrentMapTests {
    @Test("gives what map gives, in order, for any length and number of parts",
          arguments: [0, 1, 63, 64, 65, 128, 1_000, 10_007])
    func sameAsMap(count: Int) {
        let values = (0..<count).map { "v\($0)" }
        for chunks in [1, 2, 3, 8] {
            #expect(values.concurrentMap(chunks: chunks) { $0 + "!" } == values.map { $0 + "!" }, "\(chunks) parts")
        }
    }
}
