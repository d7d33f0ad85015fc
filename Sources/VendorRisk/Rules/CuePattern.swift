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
        case words([WordTest])
        case gap(Int)
        /// A gap that may not cross a comma, dash or bracket.
        case tightGap(Int)
    }
    enum WordTest: Sendable, Equatable {
        case exact(String)
        case prefix(String)
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
                elements.append(.words(tests))
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
        while s < words.count {
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

    private func match(_ words: [String], at start: Int, _ commas: Set<Int>) -> Match? {
        var literals: [Int] = []
        guard let end = step(words, 0, start, &literals, commas) else { return nil }
        return Match(start: start, end: end, literals: literals)
    }

    private func step(_ words: [String], _ e: Int, _ pos: Int, _ literals: inout [Int], _ commas: Set<Int>) -> Int? {
        if e == elements.count { return pos }
        switch elements[e] {
        case let .words(tests):
            // Expanded "end-user" style words hold spaces: they match consecutive words.
            for t in tests {
                if let next = Self.matchWord(t, words, pos) {
                    let saved = literals.count
                    literals.append(contentsOf: pos..<next)
                    if let end = step(words, e + 1, next, &literals, commas) { return end }
                    literals.removeSubrange(saved...)
                }
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
            if !p.contains(" ") { return pos < words.count && words[pos].hasPrefix(p) ? pos + 1 : nil }
            let parts = p.split(separator: " ")
            guard pos + parts.count <= words.count else { return nil }
            for (i, part) in parts.enumerated() {
                let w = words[pos + i]
                if i == parts.count - 1 ? !w.hasPrefix(part) : w != part { return nil }
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
