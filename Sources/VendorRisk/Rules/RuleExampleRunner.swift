/// Runs a rule set's examples against the real analyzer with placeholder vendors: "Acme" is the
/// vendor under test; "Globex", "Initech" and "Umbrella" are bystanders that must get nothing.
public struct RuleExampleRunner: Sendable {
    public struct Outcome: Sendable {
        public let example: RuleExample
        public let passed: Bool
        /// What the analyzer produced, for the message.
        public let found: [String]
    }

    public static let placeholderCatalogue: Catalogue = {
        // Names are fixed and unique, so this cannot fail.
        try! Catalogue(vendors: [
            Vendor(name: "Acme Corporation", aliases: ["Acme"], line: 2),
            Vendor(name: "Globex Inc.", aliases: ["Globex"], line: 3),
            Vendor(name: "Initech Ltd", aliases: ["Initech"], line: 4),
            Vendor(name: "Umbrella Research plc", aliases: ["Umbrella"], line: 5),
        ], source: "<placeholder vendors>")
    }()

    public let analyzer: Analyzer

    public init(rules: RuleSet) {
        analyzer = Analyzer(rules: rules, matcher: VendorMatcher(catalogue: Self.placeholderCatalogue))
    }

    public func run(_ example: RuleExample) -> Outcome {
        let result = analyzer.analyze(title: nil, body: example.text)
        let names = analyzer.matcher.catalogue.vendors.map(\.name)
        let found = result.signals.map { "\(names[$0.vendor].split(separator: " ")[0]) \($0.category)" }
        let ofCategory = result.signals.filter { $0.category == example.category }
        let passed: Bool
        if example.triggers {
            passed = ofCategory.contains { $0.vendor == 0 } && !ofCategory.contains { $0.vendor != 0 }
        } else {
            passed = ofCategory.isEmpty
        }
        return Outcome(example: example, passed: passed, found: found)
    }

    public func runAll(_ rules: RuleSet) -> [Outcome] { rules.examples.map(run) }
}
