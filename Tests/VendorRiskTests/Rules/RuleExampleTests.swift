import Foundation
import Testing
@testable import VendorRisk

@Suite("Rule examples")
struct RuleExampleTests {
    static let runner = RuleExampleRunner(rules: .builtIn)

    @Test("Rule examples behave as written", arguments: RuleSet.builtIn.examples)
    func ruleExample(_ example: RuleExample) {
        let outcome = Self.runner.run(example)
        #expect(outcome.passed, "\(example.rule): got \(outcome.found)")
    }

    @Test("every rule has at least two trigger and two no-trigger examples")
    func exampleCounts() {
        for rule in RuleSet.builtIn.rules {
            #expect(rule.triggerExamples.count >= 2, "\(rule.id)")
            #expect(rule.noTriggerExamples.count >= 2, "\(rule.id)")
        }
    }

    @Test("the built-in rules are Feeds/rules.yml (run scripts/embed-rules.sh after editing it)")
    func builtInMatchesFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Feeds/rules.yml"), encoding: .utf8)
        #expect(file.trimmingCharacters(in: .newlines) == DefaultRules.yaml.trimmingCharacters(in: .newlines))
    }

    @Test("the seed case is among the examples")
    func seedExample() {
        let seed = RuleSet.builtIn.examples.first { $0.triggers && $0.text.contains("Advertisement") }
        #expect(seed?.category == "security-review-failed")
    }
}
