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
    /// prefixes as bytes, multi-word alternatives split into their words once.
    ///
    /// A class: matching binds an element's word set at every step of every cue, and a copy of a
    /// struct of five tables was five retains (and five releases) of tables both workers share,
    /// each moving a cache line between the cores; a copy of this is one.
    final class WordSet: Sendable, Equatable {
        let exact: Set<String>
        let prefixes: [String]
        let others: [WordTest]
        private let prefixBytes: PrefixBytes
        /// `others` split at spaces: the words in order; with `lastIsPrefix` the last is a prefix.
        private let multi: [(parts: [String], lastIsPrefix: Bool)]
        /// The ASCII words of `exact`, looked up by their bytes: `Set<String>` hashed every word
        /// tested (SipHash, a few percent of a run). For an ASCII word, byte equality is string
        /// equality, except against a word some of whose scalars are canonically equivalent to
        /// ASCII ones (the Kelvin sign to "K"): with a non-ASCII word in `exact`, a miss is asked
        /// of the set.
        private let asciiExact: WordTable
        private let exactHasNonASCII: Bool

        init(_ tests: [WordTest]) {
            var exact: Set<String> = [], prefixes: [String] = [], others: [WordTest] = []
            for t in tests {
                switch t {
                // On the bytes: Foundation's `contains` searched through a CFString (start-up time).
                case let .exact(w) where !w.utf8.contains(0x20): exact.insert(w)
                case let .prefix(p) where !p.utf8.contains(0x20): prefixes.append(p)
                default: others.append(t)
                }
            }
            self.exact = exact
            self.prefixes = prefixes
            self.others = others
            var table = WordTable(capacity: exact.count)
            for w in exact where w.utf8.allSatisfy({ $0 < 0x80 }) { _ = table.insert(w) }
            asciiExact = table
            exactHasNonASCII = exact.contains { $0.utf8.contains { $0 >= 0x80 } }
            prefixBytes = PrefixBytes(prefixes)
            multi = others.map { t in
                switch t {
                case let .exact(w): (w.split(separator: " ").map(String.init), false)
                case let .prefix(p): (p.split(separator: " ").map(String.init), true)
                }
            }
        }

        static func == (a: WordSet, b: WordSet) -> Bool {
            a.exact == b.exact && a.prefixes == b.prefixes && a.others == b.others
        }

        /// Whether one word matches a single-word alternative.
        @inline(__always) func contains(_ w: String) -> Bool {
            containsExactly(w) || prefixBytes.anyIsPrefix(of: w)
        }

        /// `exact.contains(w)`.
        private func containsExactly(_ w: String) -> Bool {
            let byBytes: Bool?? = w.utf8.withContiguousStorageIfAvailable { b in
                for c in b where c >= 0x80 { return nil }
                return asciiExact.lookup(b) != nil
            }
            if let read = byBytes, let found = read, found || !exactHasNonASCII { return found }
            return exact.contains(w)
        }

        /// The ways a multi-word alternative can match at `pos`: the positions just after it (a
        /// single word, `contains`, is the first way, tested by the caller without a list).
        func multiWordEnds(_ words: [String], _ pos: Int) -> [Int] {
            guard !multi.isEmpty else { return [] }
            var out: [Int] = []
            for m in multi { if let n = CuePattern.matchWords(m.parts, lastIsPrefix: m.lastIsPrefix, words, pos) { out.append(n) } }
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
        let cleaned = String(decoding: folded.utf8.map { $0 == 0x2D || $0 == 0x27 ? 0x20 : $0 }, as: UTF8.self)
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
            if let q = quick, !q.contains(words[s]) { s += 1; continue }
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
            if pos < words.count, set.contains(words[pos]) {
                literals.append(pos)
                if let end = step(words, e + 1, pos + 1, &literals, commas) { return end }
                literals.removeLast()
            }
            // Expanded "end-user" style words hold spaces: they match consecutive words.
            for next in set.multiWordEnds(words, pos) {
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

    /// Consecutive words: each equal to its part, the last only starting with it when `lastIsPrefix`
    /// (an expanded "end-user" or "anti-monopoly*").
    static func matchWords(_ parts: [String], lastIsPrefix: Bool, _ words: [String], _ pos: Int) -> Int? {
        guard pos + parts.count <= words.count else { return nil }
        for (i, part) in parts.enumerated() {
            let w = words[pos + i]
            if lastIsPrefix && i == parts.count - 1 ? !w.utf8.starts(with: part.utf8) : w != part { return nil }
        }
        return pos + parts.count
    }
}

/// Word prefixes as UTF-8 bytes, tested against a word's bytes in one pass (the generic
/// `utf8.starts(with:)` per prefix was a tenth of the analyzer's time).
struct PrefixBytes: Sendable {
    private let prefixes: [[UInt8]]

    init(_ prefixes: [String]) { self.prefixes = prefixes.map { Array($0.utf8) } }

    var isEmpty: Bool { prefixes.isEmpty }

    /// Indices of the prefixes `word` starts with, in order.
    func matching(_ word: String, _ body: (Int) -> Void) {
        guard !prefixes.isEmpty else { return }
        let done: Void? = word.utf8.withContiguousStorageIfAvailable { w in
            for (i, p) in prefixes.enumerated() where Self.starts(w, p) { body(i) }
        }
        if done == nil { for (i, p) in prefixes.enumerated() where word.utf8.starts(with: p) { body(i) } }
    }

    @inline(__always) func anyIsPrefix(of word: String) -> Bool {
        guard !prefixes.isEmpty else { return false }
        return word.utf8.withContiguousStorageIfAvailable { w in prefixes.contains { Self.starts(w, $0) } }
            ?? prefixes.contains { word.utf8.starts(with: $0) }
    }

    @inline(__always) private static func starts(_ w: UnsafeBufferPointer<UInt8>, _ p: [UInt8]) -> Bool {
        guard p.count <= w.count else { return false }
        for i in 0..<p.count where w[i] != p[i] { return false }
        return true
    }
}

/// A message about one place in a rule file.
public struct RuleFileProblem: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// Every cue of a rule set indexed by the words it can start with, so a clause is scanned once
/// instead of once per cue. A class: shared by the workers, copied into each item's engine.
final class CueIndex: Sendable {
    struct Ref: Sendable, Hashable { let rule: Int; let cue: Int }
    private let refs: [Ref]
    private let starts: FirstWordIndex

    init(_ rules: [Rule]) {
        var refs: [Ref] = []
        var cues: [CuePattern] = []
        for (ri, r) in rules.enumerated() {
            for (ci, c) in r.cues.enumerated() {
                refs.append(Ref(rule: ri, cue: ci))
                cues.append(c)
            }
        }
        self.refs = refs
        starts = FirstWordIndex(cues)
    }

    /// Cues that may start at each position: (position, cue).
    func candidates(_ words: [String]) -> [(Int, Ref)] {
        var out: [(Int, Ref)] = []
        for (i, w) in words.enumerated() { starts.forEachCandidate(w) { out.append((i, refs[$0])) } }
        return out
    }
}

/// Patterns indexed by the words their first position accepts: the patterns that may start at a
/// word are found with one lookup instead of a test per pattern.
struct FirstWordIndex: Sendable {
    private var exact: [String: [Int]] = [:]
    private var prefixes = PrefixBytes([])
    private var prefixRefs: [[Int]] = []
    /// Patterns whose first position has multi-word alternatives: tried at every word.
    private var always: [Int] = []

    init(_ patterns: [CuePattern]) {
        var prefixMap: [String: [Int]] = [:]
        for (i, p) in patterns.enumerated() {
            guard let set = p.firstWords, set.others.isEmpty else { always.append(i); continue }
            for w in set.exact { exact[w, default: []].append(i) }
            for q in set.prefixes { prefixMap[q, default: []].append(i) }
        }
        let sorted = prefixMap.sorted { $0.key < $1.key }
        prefixes = PrefixBytes(sorted.map(\.key))
        prefixRefs = sorted.map(\.value)
    }

    /// The patterns that may start at `word` (one may come more than once).
    @inline(__always) func forEachCandidate(_ word: String, _ body: (Int) -> Void) {
        if let refs = exact[word] { for r in refs { body(r) } }
        prefixes.matching(word) { p in for r in prefixRefs[p] { body(r) } }
        for r in always { body(r) }
    }
}

/// A list of lexicon patterns (negations, hedges, ...) searched together.
struct IndexedPatterns: Sendable {
    let patterns: [CuePattern]
    private let starts: FirstWordIndex

    init(_ patterns: [CuePattern]) {
        self.patterns = patterns
        starts = FirstWordIndex(patterns)
    }

    /// Exactly `patterns.flatMap { p in p.matches(in: words).map { (p, $0) } }`: each pattern's
    /// non-overlapping matches left to right, pattern by pattern in list order; found in one pass
    /// over the words, trying a pattern only where its first word fits.
    func matches(in words: [String]) -> [(pattern: Int, match: CuePattern.Match)] {
        var found: [(pattern: Int, match: CuePattern.Match)] = []
        var resumeAt = [Int](repeating: 0, count: patterns.count)
        for (i, w) in words.enumerated() {
            starts.forEachCandidate(w) { p in
                guard i >= resumeAt[p], let m = patterns[p].match(in: words, at: i) else { return }
                found.append((p, m))
                resumeAt[p] = m.end
            }
        }
        // Per pattern the matches are already left to right and do not overlap: (pattern, start)
        // orders them as the pattern-by-pattern search lists them.
        found.sort { $0.pattern != $1.pattern ? $0.pattern < $1.pattern : $0.match.start < $1.match.start }
        return found
    }

    /// Exactly `patterns.contains { $0.firstMatch(in: words) != nil }`, trying a pattern only
    /// where its first word fits (one lookup per word instead of one per word and pattern).
    func anyMatches(in words: [String]) -> Bool {
        for (i, w) in words.enumerated() {
            var hit = false
            starts.forEachCandidate(w) { p in
                if !hit, patterns[p].match(in: words, at: i) != nil { hit = true }
            }
            if hit { return true }
        }
        return false
    }
}
