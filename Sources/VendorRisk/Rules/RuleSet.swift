import Foundation
import Yams

/// Whether a category raises or lowers a vendor's risk.
public enum Direction: String, Sendable, Codable { case raise, lower }

/// A risk category: what it does to the score and how fast it fades.
public struct Category: Sendable, Equatable {
    public let id: String
    public let direction: Direction
    public let halfLifeDays: Double
}

/// Which vendors of a clause a cue is about.
public enum Target: String, Sendable {
    /// The vendors the action falls on: after the verb, or before it in the passive.
    case object
    /// The vendors before the cue ("Acme failed…", "Acme received a licence").
    case subject
    /// Every vendor of the clause.
    case any
}

/// Sentences that must and must not produce the rule's category for the placeholder vendor.
public struct RuleExample: Sendable, Equatable, CustomStringConvertible {
    public let rule: String
    public let category: String
    public let text: String
    public let triggers: Bool
    public let line: Int
    public var description: String { "\(rule) \(triggers ? "trigger" : "no-trigger"): \(text.prefix(70))" }
}

/// One rule: cues for a category, how they attribute, what cancels them.
///
/// A class (never changed once read): the workers share the rules, and a rule bound per matched
/// cue was a copy of a dozen strings and arrays (a retain of each, on cache lines both cores use).
public final class Rule: Sendable {
    public let id: String
    public let category: String
    public let weight: Double
    public let target: Target
    public let cues: [CuePattern]
    /// Patterns that cancel the rule anywhere in the sentence.
    public let unless: [CuePattern]
    /// Patterns that cancel a cue when they stand just before it ("required to obtain a licence").
    public let notAfter: [CuePattern]
    /// The named context that must be present near the sentence, unless none of `otherGrounds` is.
    public let requiresContext: String?
    public let triggerExamples: [String]
    public let noTriggerExamples: [String]
    public let line: Int

    init(id: String, category: String, weight: Double, target: Target, cues: [CuePattern], unless: [CuePattern],
         notAfter: [CuePattern], requiresContext: String?, triggerExamples: [String], noTriggerExamples: [String], line: Int) {
        self.id = id
        self.category = category
        self.weight = weight
        self.target = target
        self.cues = cues
        self.unless = unless
        self.notAfter = notAfter
        self.requiresContext = requiresContext
        self.triggerExamples = triggerExamples
        self.noTriggerExamples = noTriggerExamples
        self.line = line
    }
}

/// The word lists and patterns around cues (negation, speculation, reporting, ...).
///
/// A class, filled while the rule file is read (`RuleSet.parse`) and never changed after: the
/// workers share it, and a copy of a struct of its seventeen tables, made per analysed item, was a
/// retain of each.
public final class Lexicon: @unchecked Sendable {
    public internal(set) var classes: [String: [String]] = [:]
    public internal(set) var negation: [CuePattern] = []
    public internal(set) var speculation: [CuePattern] = []
    public internal(set) var background: [CuePattern] = []
    public internal(set) var reporting: [CuePattern] = []
    public internal(set) var passive: [CuePattern] = []
    public internal(set) var contexts: [String: [CuePattern]] = [:]
    public internal(set) var otherGrounds: [CuePattern] = []
    public internal(set) var thirdPartyBefore: [CuePattern] = []
    public internal(set) var thirdPartyAfter: [CuePattern] = []
    public internal(set) var listContinuation: [CuePattern] = []
    public internal(set) var boilerplateOpeners: [CuePattern] = []
    public internal(set) var boilerplatePhrases: [CuePattern] = []
    public internal(set) var relatedHeaders: [CuePattern] = []
    public internal(set) var permissionVerbs: Set<String> = []
    public internal(set) var negationWindow = 6
    public internal(set) var speculationWindow = 10

    init() {}
}

/// A rule file: categories, lexicon and rules.
///
/// A class, never changed once read: the workers share it, and the analysis of an item took a copy
/// (a retain of each of its strings and tables, on cache lines both cores use).
public final class RuleSet: Sendable {
    public let version: String
    public let source: String
    public let text: String
    public let categories: [String: Category]
    public let categoryOrder: [String]
    public let lexicon: Lexicon
    public let rules: [Rule]

    init(version: String, source: String, text: String, categories: [String: Category], categoryOrder: [String],
         lexicon: Lexicon, rules: [Rule]) {
        self.version = version
        self.source = source
        self.text = text
        self.categories = categories
        self.categoryOrder = categoryOrder
        self.lexicon = lexicon
        self.rules = rules
    }

    /// The rule set built into the tool (the same text as `Feeds/rules.yml`).
    public static let builtIn: RuleSet = {
        do { return try RuleSet.parse(DefaultRules.yaml, source: "<built-in rules>") }
        catch { preconditionFailure("the built-in rule file does not load: \(error)") }
    }()

    public static func load(path: String) throws(RuleFileError) -> RuleSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleFileError(file: path, line: 1, message: "cannot read the rule file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// Every example of every rule, for `rules test` and the test suite.
    public var examples: [RuleExample] {
        rules.flatMap { r in
            r.triggerExamples.map { RuleExample(rule: r.id, category: r.category, text: $0, triggers: true, line: r.line) }
            + r.noTriggerExamples.map { RuleExample(rule: r.id, category: r.category, text: $0, triggers: false, line: r.line) }
        }
    }

    public static func parse(_ text: String, source: String) throws(RuleFileError) -> RuleSet {
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw RuleFileError(file: source, line: 1, message: "the rule file is empty")
            }
            root = n
        } catch let e as RuleFileError {
            throw e
        } catch {
            let description = "\(error)"
            var line = 1
            if let r = description.range(of: #"\d+:\d+"#, options: .regularExpression),
               let l = Int(description[r].split(separator: ":")[0]) { line = l }
            throw RuleFileError(file: source, line: line, message: "not valid YAML: \(description)")
        }
        func fail(_ node: Node?, _ message: String) -> RuleFileError {
            RuleFileError(file: source, line: node?.mark?.line ?? 1, message: message)
        }
        guard root.mapping != nil else { throw fail(root, "the top level must be a mapping") }
        let version = root["version"]?.string ?? "0"

        // Categories.
        guard let cats = root["categories"]?.mapping, !cats.isEmpty else {
            throw fail(root, "no 'categories' mapping")
        }
        var categories: [String: Category] = [:]
        var order: [String] = []
        for (k, v) in cats {
            guard let id = k.string else { throw fail(k, "a category id must be a string") }
            guard let d = v["direction"]?.string, let direction = Direction(rawValue: d) else {
                throw fail(v, "category '\(id)' needs direction: raise or lower")
            }
            let half = v["half_life_days"]?.float ?? v["half_life_days"]?.int.map(Double.init) ?? 180
            categories[id] = Category(id: id, direction: direction, halfLifeDays: half)
            order.append(id)
        }

        // Lexicon.
        let lex = Lexicon()
        let lexNode = root["lexicon"]
        if let classes = lexNode?["classes"]?.mapping {
            for (k, v) in classes {
                guard let name = k.string, let words = v.sequence?.compactMap(\.string) else {
                    throw fail(k, "a class is a name and a list of words")
                }
                lex.classes[name] = words
            }
        }
        func patterns(_ node: Node?, _ what: String) throws(RuleFileError) -> [CuePattern] {
            guard let node else { return [] }
            guard let seq = node.sequence else { throw fail(node, "'\(what)' must be a list") }
            var out: [CuePattern] = []
            for item in seq {
                guard let s = item.string else { throw fail(item, "'\(what)' holds a value that is not text") }
                do { out.append(try CuePattern(s, classes: lex.classes)) }
                catch { throw fail(item, error.message) }
            }
            return out
        }
        lex.negation = try patterns(lexNode?["negation"], "negation")
        lex.speculation = try patterns(lexNode?["speculation"], "speculation")
        lex.background = try patterns(lexNode?["background"], "background")
        lex.reporting = try patterns(lexNode?["reporting"], "reporting")
        lex.passive = try patterns(lexNode?["passive"], "passive")
        lex.otherGrounds = try patterns(lexNode?["other-grounds"], "other-grounds")
        lex.thirdPartyBefore = try patterns(lexNode?["third-party-before"], "third-party-before")
        lex.thirdPartyAfter = try patterns(lexNode?["third-party-after"], "third-party-after")
        lex.listContinuation = try patterns(lexNode?["list-continuation"], "list-continuation")
        lex.boilerplateOpeners = try patterns(lexNode?["boilerplate-openers"], "boilerplate-openers")
        lex.boilerplatePhrases = try patterns(lexNode?["boilerplate-phrases"], "boilerplate-phrases")
        lex.relatedHeaders = try patterns(lexNode?["related-headers"], "related-headers")
        if let contexts = lexNode?["contexts"]?.mapping {
            for (k, v) in contexts {
                guard let name = k.string else { throw fail(k, "a context needs a name") }
                lex.contexts[name] = try patterns(v, "contexts.\(name)")
            }
        }
        lex.permissionVerbs = Set((lexNode?["permission-verbs"]?.sequence ?? []).compactMap(\.string).map { Tokenizer.fold($0) })
        if let n = lexNode?["negation-window"]?.int { lex.negationWindow = n }
        if let n = lexNode?["speculation-window"]?.int { lex.speculationWindow = n }

        // Rules.
        guard let ruleNodes = root["rules"]?.sequence, !ruleNodes.isEmpty else {
            throw fail(root, "no 'rules' list")
        }
        var rules: [Rule] = []
        var ids = Set<String>()
        for r in ruleNodes {
            guard let id = r["id"]?.string, !id.isEmpty else { throw fail(r, "a rule without an 'id'") }
            guard ids.insert(id).inserted else { throw fail(r["id"], "rule id '\(id)' is used twice") }
            guard let category = r["category"]?.string else { throw fail(r, "rule '\(id)' has no category") }
            guard categories[category] != nil else {
                throw fail(r["category"], "rule '\(id)': unknown category '\(category)' (declare it under categories)")
            }
            let weight = r["weight"]?.float ?? r["weight"]?.int.map(Double.init) ?? 1
            let targetText = r["target"]?.string ?? "object"
            guard let target = Target(rawValue: targetText) else {
                throw fail(r["target"], "rule '\(id)': target must be object, subject or any")
            }
            let cues = try patterns(r["cues"], "cues")
            guard !cues.isEmpty else { throw fail(r, "rule '\(id)' has no cues") }
            let unless = try patterns(r["unless"], "unless")
            let notAfter = try patterns(r["not-after"], "not-after")
            let requires = r["requires-context"]?.string
            if let requires, lex.contexts[requires] == nil {
                throw fail(r["requires-context"], "rule '\(id)' requires an unknown context '\(requires)'")
            }
            let ex = r["examples"]
            let trig = ex?["trigger"]?.sequence?.compactMap(\.string) ?? []
            let noTrig = ex?["no-trigger"]?.sequence?.compactMap(\.string) ?? []
            rules.append(Rule(id: id, category: category, weight: weight, target: target, cues: cues, unless: unless, notAfter: notAfter,
                              requiresContext: requires, triggerExamples: trig, noTriggerExamples: noTrig,
                              line: r.mark?.line ?? 1))
        }
        return RuleSet(version: version, source: source, text: text, categories: categories, categoryOrder: order,
                       lexicon: lex, rules: rules)
    }
}

/// A rule file that cannot be used, with the place of the problem.
public struct RuleFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}
