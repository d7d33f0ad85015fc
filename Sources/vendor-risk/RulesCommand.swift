import ArgumentParser
import Foundation
import VendorRisk

/// `vendor-risk rules show|test`
struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Show the rule set in force or run its examples.",
        subcommands: [Show.self, Test.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the rule set in force.")
        @Option(help: "A rule file to use instead of the built-in rules.") var rules: String?
        @Flag(help: "Print the rule file itself (YAML).") var yaml = false

        func run() async throws {
            let set = try loadRules(rules)
            if yaml { print(set.text, terminator: set.text.hasSuffix("\n") ? "" : "\n"); return }
            print("rules \(set.version) from \(set.source)")
            print("categories:")
            for id in set.categoryOrder {
                guard let c = set.categories[id] else { continue }
                print("  \(id): \(c.direction.rawValue) risk, half-life \(JSONNumber(c.halfLifeDays)) days")
            }
            print("rules:")
            for r in set.rules {
                var line = "  \(r.id) → \(r.category), weight \(JSONNumber(r.weight)), target \(r.target.rawValue)"
                if let ctx = r.requiresContext { line += ", needs \(ctx) grounds" }
                print(line)
                for c in r.cues { print("      cue: \(c.source)") }
                if !r.unless.isEmpty { print("      unless: " + r.unless.map(\.source).joined(separator: ", ")) }
                print("      examples: \(r.triggerExamples.count) trigger, \(r.noTriggerExamples.count) no-trigger")
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test", abstract: "Run every rule example; exit 1 if one fails.")
        @Option(help: "A rule file to use instead of the built-in rules.") var rules: String?

        func run() async throws {
            let set = try loadRules(rules)
            let outcomes = RuleExampleRunner(rules: set).runAll(set)
            var failed = 0
            for o in outcomes where !o.passed {
                failed += 1
                let expect = o.example.triggers ? "expected \(o.example.category) for Acme only"
                                                : "expected no \(o.example.category)"
                let got = o.found.isEmpty ? "nothing" : o.found.joined(separator: ", ")
                print("\(set.source):\(o.example.line): rule \(o.example.rule): \(expect), got \(got): \"\(o.example.text)\"")
            }
            for r in set.rules where r.triggerExamples.count < 2 || r.noTriggerExamples.count < 2 {
                failed += 1
                print("\(set.source):\(r.line): rule \(r.id) needs at least two trigger and two no-trigger examples")
            }
            print("\(outcomes.count - failed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

/// Whole numbers without a fraction.
func JSONNumber(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
