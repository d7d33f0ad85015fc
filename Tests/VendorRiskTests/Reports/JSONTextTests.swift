import Foundation
import Testing
@testable import VendorRisk

@Suite struct JSONTextTests {
    @Test("formatted equals String(format:) for the report's formats, ties, signs and huge magnitudes")
    func formattedEqualsFoundation() {
        var values: [Double] = [0, -0.0, 0.125, 0.375, -0.125, 2.5, 0.005, 0.015, 0.00005, 0.00015, 1e-9, -1e-9,
                                123456.789012, 1e15, -3.99995, 1e300, -1e300, .pi, -.pi]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            values.append(Double.random(in: -200...200, using: &generator))
            values.append(Double(Int.random(in: -100_000...100_000, using: &generator)) / 8_000)  // exact ties
        }
        for v in values {
            #expect(JSONText.formatted(v, "%.4f") == String(format: "%.4f", v), "\(v)")
            #expect(JSONText.formatted(v, "%.2f") == String(format: "%.2f", v), "\(v)")
            #expect(JSONText.formatted(v, "%+.2f") == String(format: "%+.2f", v), "\(v)")
        }
    }
}
