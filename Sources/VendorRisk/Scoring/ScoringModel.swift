import Foundation
import Yams

/// Every parameter of the score, read from the rule file so that a report can echo it and any
/// score can be recomputed from its contributions.
public struct ScoringModel: Sendable, Equatable {
    public struct CategoryModel: Sendable, Equatable {
        public var direction: Direction
        public var halfLifeDays: Double
    }

    public var categories: [String: CategoryModel]
    /// Signals older than this carry nothing.
    public var cutoffDays: Double = 730
    /// Signals for the same vendor and category this close together are one event.
    public var eventWindowHours: Double = 72
    /// Each further independent source adds this share to an event, up to the cap.
    public var sourceBonusStep: Double = 0.25
    public var sourceBonusCap: Double = 1.5
    /// The k-th largest raising contribution counts 1/k^exponent.
    public var diminishingExponent: Double = 1.5
    /// Share of the lowering contributions subtracted from the raising ones.
    public var loweringShare: Double = 0.5
    /// score = round(100 × (1 − e^(−raw/K))).
    public var k: Double = 7
    public var mediumFrom: Double = 25
    public var highFrom: Double = 65
    public var criticalFrom: Double = 90

    public init(categories: [String: CategoryModel]) {
        self.categories = categories
    }

    /// The model of a rule set: its categories, plus the optional `scoring:` block of its file.
    public init(rules: RuleSet) throws(RuleFileError) {
        var categories: [String: CategoryModel] = [:]
        for (id, c) in rules.categories { categories[id] = CategoryModel(direction: c.direction, halfLifeDays: c.halfLifeDays) }
        self.init(categories: categories)
        try applyScoringBlock(of: rules)
    }

    private mutating func applyScoringBlock(of rules: RuleSet) throws(RuleFileError) {
        let root: Node?
        do { root = try Yams.compose(yaml: rules.text) } catch { return }  // RuleSet already reported YAML errors
        guard let scoring = root?.mapping?["scoring"] else { return }
        guard let map = scoring.mapping else {
            throw RuleFileError(file: rules.source, line: (scoring.mark?.line ?? 0) + 1, message: "scoring must be a mapping")
        }
        for (keyNode, valueNode) in map {
            let line = (valueNode.mark?.line ?? 0) + 1
            guard let key = keyNode.string else { continue }
            if key == "bands" {
                guard let bands = valueNode.mapping else {
                    throw RuleFileError(file: rules.source, line: line, message: "scoring.bands must map medium/high/critical to numbers")
                }
                for (b, v) in bands {
                    guard let name = b.string, let value = v.float else {
                        throw RuleFileError(file: rules.source, line: (v.mark?.line ?? 0) + 1, message: "scoring.bands values must be numbers")
                    }
                    switch name {
                    case "medium": mediumFrom = value
                    case "high": highFrom = value
                    case "critical": criticalFrom = value
                    default: throw RuleFileError(file: rules.source, line: (b.mark?.line ?? 0) + 1, message: "unknown band '\(name)' (medium, high, critical)")
                    }
                }
                continue
            }
            guard let value = valueNode.float, value >= 0 else {
                throw RuleFileError(file: rules.source, line: line, message: "scoring.\(key) must be a non-negative number")
            }
            switch key {
            case "cutoff_days": cutoffDays = value
            case "event_window_hours": eventWindowHours = value
            case "source_bonus_step": sourceBonusStep = value
            case "source_bonus_cap": sourceBonusCap = max(1, value)
            case "diminishing_exponent": diminishingExponent = value
            case "lowering_share": loweringShare = value
            case "k":
                guard value > 0 else { throw RuleFileError(file: rules.source, line: line, message: "scoring.k must be positive") }
                k = value
            default:
                throw RuleFileError(file: rules.source, line: line, message: "unknown scoring parameter '\(key)'")
            }
        }
        guard mediumFrom < highFrom, highFrom < criticalFrom else {
            throw RuleFileError(file: rules.source, line: (scoring.mark?.line ?? 0) + 1, message: "bands must rise: medium < high < critical")
        }
    }

    public func band(for score: Int) -> Band {
        let s = Double(score)
        if s >= criticalFrom { return .critical }
        if s >= highFrom { return .high }
        if s >= mediumFrom { return .medium }
        return .low
    }
}

/// The band a score falls in.
public enum Band: String, Sendable, Codable, Comparable, CaseIterable {
    case low = "Low", medium = "Medium", high = "High", critical = "Critical"

    private var order: Int { Band.allCases.firstIndex(of: self)! }
    public static func < (a: Band, b: Band) -> Bool { a.order < b.order }
}

private extension Node {
    var float: Double? {
        guard let s = scalar?.string else { return nil }
        return Double(s)
    }
}
