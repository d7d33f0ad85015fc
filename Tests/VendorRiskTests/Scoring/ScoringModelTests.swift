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

@Suite("Scoring block of a rule file")
struct ScoringBlockTests {
    private func rules(_ scoring: String) throws -> RuleSet {
        try RuleSet.parse(DefaultRules.yaml.replacingOccurrences(of: "  k: 7 ", with: scoring), source: "custom.yml")
    }

    @Test("parameters come from the rule file")
    func custom() throws {
        let m = try ScoringModel(rules: rules("  k: 9 "))
        #expect(m.k == 9)
        #expect(m.cutoffDays == 730)
    }

    @Test("an unknown or bad parameter is an error with file:line")
    func bad() throws {
        #expect {
            try ScoringModel(rules: rules("  k: -1 "))
        } throws: { error in
            "\(error)".hasPrefix("custom.yml:") && "\(error)".contains("k")
        }
    }
}
