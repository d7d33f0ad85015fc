/// A cue written for people: words in order, with gaps.
///
///     fail* * security review|assessment
///
/// - `word` matches the case-folded word; `word*` any word that starts with it; `a|b` either.
/// - `@class` any word of a lexicon class (`@grant`, `@permission`).
/// - `*` skips up to 3 words, `**` up to 8, `***` up to 15 (never past the clause); `~`, `~~`, `~~~`
///   the same without crossing a comma, dash or bracket.
public struct CuePattern: Sendable, Equatable, CustomStringConvertible {
    enum Element: Sendable, Equatable {
        case words(WordSet)
        case gap(Int)
        /// A gap that may not cross a comma, dash or bracket.
        case tightGap(Int)
    }
    enum WordTest: Sendable, Equatable {
        case exact(String)
        case prefix(String)
    }

    /// The alternatives of one position, compiled: single exact words in a set (one hash lookup),
    /// prefixes and multi-word alternatives in short lists.
    struct WordSet: Sendable, Equatable {
        var exact: Set<String> = []
        var prefixes: [String] = []
        var others: [WordTest] = []

        init(_ tests: [WordTest]) {
            for t in tests {
                switch t {
                case let .exact(w) where !w.contains(" "): exact.insert(w)
                case let .prefix(p) where !p.contains(" "): prefixes.append(p)
                default: others.append(t)
                }
            }
        }

        /// Every way the position can match: the positions just after it.
        func ends(_ words: [String], _ pos: Int) -> [Int] {
            var out: [Int] = []
            if pos < words.count {
                let w = words[pos]
                if exact.contains(w) || prefixes.contains(where: { w.utf8.starts(with: $0.utf8) }) { out.append(pos + 1) }
            }
            for t in others { if let n = CuePattern.matchWord(t, words, pos) { out.append(n) } }
            return out
        }
    }

    public let source: String
    let elements: [Element]

    /// Compiles a pattern; classes are expanded from `lexicon`. Throws a message for people.
    public init(_ source: String, classes: [String: [String]]) throws(RuleFileProblem) {
        self.source = source
        var elements: [Element] = []
        let parts = source.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !parts.isEmpty else { throw RuleFileProblem("an empty cue") }
        for part in parts {
            switch part {
            case "*": elements.append(.gap(3))
            case "**": elements.append(.gap(8))
            case "***": elements.append(.gap(15))
            case "~": elements.append(.tightGap(3))
            case "~~": elements.append(.tightGap(8))
            case "~~~": elements.append(.tightGap(15))
            default:
                var tests: [WordTest] = []
                for alt in part.split(separator: "|") {
                    if alt.hasPrefix("@") {
                        let name = String(alt.dropFirst())
                        guard let words = classes[name] else {
                            throw RuleFileProblem("cue '\(source)' uses an unknown class '@\(name)'")
                        }
                        tests.append(contentsOf: words.map(Self.test))
                    } else {
                        tests.append(Self.test(String(alt)))
                    }
                }
                guard !tests.isEmpty else { throw RuleFileProblem("cue '\(source)' has an empty alternative") }
                elements.append(.words(WordSet(tests)))
            }
        }
        guard case .words = elements.first, case .words = elements.last else {
            throw RuleFileProblem("cue '\(source)' must begin and end with a word, not a gap")
        }
        self.elements = elements
    }

    static func test(_ w: String) -> WordTest {
        let folded = Tokenizer.fold(w)
        // A pattern word is split like text ("end-user" → "end user") only by spaces, so keep it whole;
        // hyphens and apostrophes in patterns mean the same as a space.
        let cleaned = folded.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "'", with: " ")
        if cleaned.hasSuffix("*") { return .prefix(String(cleaned.dropLast())) }
        return .exact(cleaned)
    }

    public var description: String { source }

    /// A match: the word positions [start, end) and the positions of the literal words.
    public struct Match: Sendable, Equatable {
        public let start: Int
        public let end: Int
        public let literals: [Int]
    }

    /// Finds the first match starting at or after `from` in `words` (case-folded words of a clause).
    public func firstMatch(in words: [String], from: Int = 0, commas: Set<Int> = []) -> Match? {
        var s = from
        // Most positions fail on the first word: test it without building anything.
        let quick: WordSet? = if case let .words(set) = elements[0], set.others.isEmpty { set } else { nil }
        while s < words.count {
            if let q = quick {
                let w = words[s]
                if !q.exact.contains(w) && !q.prefixes.contains(where: { w.utf8.starts(with: $0.utf8) }) { s += 1; continue }
            }
            if let m = match(words, at: s, commas) { return m }
            s += 1
        }
        return nil
    }

    /// All non-overlapping matches, left to right.
    public func matches(in words: [String], commas: Set<Int> = []) -> [Match] {
        var out: [Match] = []
        var s = 0
        while let m = firstMatch(in: words, from: s, commas: commas) {
            out.append(m)
            s = m.end
        }
        return out
    }

    /// The alternatives of the first position, for indexing cues by the word they start with.
    var firstWords: WordSet? { if case let .words(set) = elements[0] { set } else { nil } }

    /// A match that starts exactly at `start`.
    public func match(in words: [String], at start: Int, commas: Set<Int> = []) -> Match? {
        match(words, at: start, commas)
    }

    private func match(_ words: [String], at start: Int, _ commas: Set<Int>) -> Match? {
        var literals: [Int] = []
        guard let end = step(words, 0, start, &literals, commas) else { return nil }
        return Match(start: start, end: end, literals: literals)
    }

    private func step(_ words: [String], _ e: Int, _ pos: Int, _ literals: inout [Int], _ commas: Set<Int>) -> Int? {
        if e == elements.count { return pos }
        switch elements[e] {
        case let .words(set):
            // Expanded "end-user" style words hold spaces: they match consecutive words.
            for next in set.ends(words, pos) {
                let saved = literals.count
                literals.append(contentsOf: pos..<next)
                if let end = step(words, e + 1, next, &literals, commas) { return end }
                literals.removeSubrange(saved...)
            }
            return nil
        case let .gap(n):
            for skip in 0...n where pos + skip <= words.count {
                if let end = step(words, e + 1, pos + skip, &literals, commas) { return end }
            }
            return nil
        case let .tightGap(n):
            // A comma "at" position p stands between words p-1 and p.
            for skip in 0...n where pos + skip <= words.count {
                if commas.contains(pos + skip) { break }
                if let end = step(words, e + 1, pos + skip, &literals, commas) { return end }
            }
            return nil
        }
    }

    static func matchWord(_ t: WordTest, _ words: [String], _ pos: Int) -> Int? {
        switch t {
        case let .exact(w):
            if !w.contains(" ") { return pos < words.count && words[pos] == w ? pos + 1 : nil }
            let parts = w.split(separator: " ")
            guard pos + parts.count <= words.count else { return nil }
            for (i, p) in parts.enumerated() where words[pos + i] != p { return nil }
            return pos + parts.count
        case let .prefix(p):
            if !p.contains(" ") { return pos < words.count && words[pos].utf8.starts(with: p.utf8) ? pos + 1 : nil }
            let parts = p.split(separator: " ")
            guard pos + parts.count <= words.count else { return nil }
            for (i, part) in parts.enumerated() {
                let w = words[pos + i]
                if i == parts.count - 1 ? !w.utf8.starts(with: part.utf8) : w != part { return nil }
            }
            return pos + parts.count
        }
    }
}

/// A message about one place in a rule file.
public struct RuleFileProblem: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// Every cue of a rule set indexed by the words it can start with, so a clause is scanned once
/// instead of once per cue.
struct CueIndex: Sendable {
    struct Ref: Sendable, Hashable { let rule: Int; let cue: Int }
    private var exact: [String: [Ref]] = [:]
    private var prefixes: [(String, [Ref])] = []
    private var always: [Ref] = []

    init(_ rules: [Rule]) {
        var prefixMap: [String: [Ref]] = [:]
        for (ri, r) in rules.enumerated() {
            for (ci, c) in r.cues.enumerated() {
                let ref = Ref(rule: ri, cue: ci)
                guard let set = c.firstWords, set.others.isEmpty else { always.append(ref); continue }
                for w in set.exact { exact[w, default: []].append(ref) }
                for p in set.prefixes { prefixMap[p, default: []].append(ref) }
            }
        }
        prefixes = prefixMap.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Cues that may start at each position: (position, cue).
    func candidates(_ words: [String]) -> [(Int, Ref)] {
        var out: [(Int, Ref)] = []
        for (i, w) in words.enumerated() {
            if let refs = exact[w] { for r in refs { out.append((i, r)) } }
            for (p, refs) in prefixes where w.utf8.starts(with: p.utf8) { for r in refs { out.append((i, r)) } }
            for r in always { out.append((i, r)) }
        }
        return out
    }
}
