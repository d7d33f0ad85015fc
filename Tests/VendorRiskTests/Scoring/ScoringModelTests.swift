import Testing
@testable import VendorRisk

@Suite("Scoring parameters from the rule file")
struct ScoringModelTests {
    @Test("the built-in rules give the documented model")
    func builtIn() throws {
        let m = try ScoringModel(rules: .builtIn)
        #expect(m.categories["security-review-failed"]?.halfLifeDays == 180)
        #expect(m.categories["market-opening"]?.direction == .lower)
        #expect(m.band(for: 24) == .low && m.band(for: 25) == .medium && m.band(for: 65) == .high && m.band(for: 90) == .critical)
    }
}
