import Testing
@testable import VendorRisk

@Suite("Rule files and cue patterns")
struct RuleSetTests {
    static let minimal = """
    version: 1
    categories:
      export-controls: { direction: raise, half_life_days: 365 }
    rules:
      - id: listed
        category: export-controls
        weight: 5
        cues: ["add* ** entity list"]
    """

    @Test("a minimal rule file loads")
    func loads() throws {
        let set = try RuleSet.parse(Self.minimal, source: "r.yml")
        #expect(set.rules.map(\.id) == ["listed"])
        #expect(set.categories["export-controls"]?.halfLifeDays == 365)
    }

    @Test("an unknown category is reported at the rule's line")
    func unknownCategory() {
        let text = Self.minimal.replacingOccurrences(of: "category: export-controls", with: "category: nope")
        #expect(throws: RuleFileError(file: "r.yml", line: 6,
                                      message: "rule 'listed': unknown category 'nope' (declare it under categories)")) {
            try RuleSet.parse(text, source: "r.yml")
        }
    }

    @Test("an unknown class in a cue is reported with its line")
    func unknownClass() {
        let text = Self.minimal.replacingOccurrences(of: "add* ** entity list", with: "@nothing entity list")
        do {
            _ = try RuleSet.parse(text, source: "r.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 8)
            #expect(error.description.hasPrefix("r.yml:8:"))
        }
    }

    @Test("broken YAML names a line")
    func brokenYAML() {
        do {
            _ = try RuleSet.parse("version: 1\ncategories: [\n  - x: {\n", source: "r.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line >= 2)
        }
    }

    @Test("cue patterns: prefixes, alternatives, gaps")
    func patterns() throws {
        let p = try CuePattern("fail* * security review|assessment", classes: [:])
        #expect(p.firstMatch(in: "acme failed a network security review".split(separator: " ").map(String.init))
                == .init(start: 1, end: 6, literals: [1, 4, 5]))
        #expect(p.firstMatch(in: "acme failed to get security clearance".split(separator: " ").map(String.init)) == nil)
        let tight = try CuePattern("lift* ~~ ban", classes: [:])
        let words = ["lifted", "the", "freeze", "and", "the", "ban"]
        #expect(tight.firstMatch(in: words) != nil)
        #expect(tight.firstMatch(in: words, commas: [2]) == nil)
    }

    @Test("the sentence splitter survives abbreviations, initials and decimals")
    func sentences() {
        let text = "Acme Co. and Globex Inc. met U.S. officials in Jan. to discuss a 4.5 percent cut. Then Gerald R. Smith left."
        let tokens = Tokenizer.tokenize(text)
        #expect(SentenceSplitter.split(tokens).count == 2)
    }
}
