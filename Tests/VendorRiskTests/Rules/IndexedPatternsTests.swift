import Testing
@testable import VendorRisk

@Suite("Indexed pattern lists")
struct IndexedPatternsTests {
    /// The search the index replaces: pattern by pattern, each one's matches left to right.
    static func reference(_ patterns: [CuePattern], _ words: [String]) -> [(Int, CuePattern.Match)] {
        patterns.enumerated().flatMap { i, p in p.matches(in: words).map { (i, $0) } }
    }

    static let lexicon = RuleSet.builtIn.lexicon
    static let lists: [(String, [CuePattern])] = [
        ("negation", lexicon.negation), ("speculation", lexicon.speculation), ("background", lexicon.background),
        ("reporting", lexicon.reporting), ("third-party-before", lexicon.thirdPartyBefore),
        ("third-party-after", lexicon.thirdPartyAfter), ("other-grounds", lexicon.otherGrounds),
        ("passive", lexicon.passive),
    ] + lexicon.contexts.sorted { $0.key < $1.key }.map { ("context \($0.key)", $0.value) }

    /// Clauses made of the lists' own words (and prefixes grown into words) mixed with fillers,
    /// from a fixed seed: many overlapping and repeated matches.
    static func clauses(for patterns: [CuePattern], count: Int) -> [[String]] {
        var vocabulary = ["the", "company", "said", "it", "would", "not", "ship", "chips", "to", "china", "after", "review"]
        for p in patterns {
            for case let .words(set) in p.elements {
                vocabulary += set.exact.sorted() + set.prefixes.map { $0 + "ed" }
                for case let .exact(w) in set.others { vocabulary += w.split(separator: " ").map(String.init) }
            }
        }
        var rng = SplitMix(seed: 42)
        return (0..<count).map { _ in (0..<Int(rng.next() % 25)).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] } }
    }

    @Test("the same matches, in the same order, as searching pattern by pattern", arguments: lists.map(\.0))
    func sameAsPatternByPattern(list: String) {
        let patterns = Self.lists.first { $0.0 == list }!.1
        #expect(!patterns.isEmpty)
        let indexed = IndexedPatterns(patterns)
        var matched = 0
        for words in Self.clauses(for: patterns, count: 400) {
            let expected = Self.reference(patterns, words)
            let got = indexed.matches(in: words)
            matched += expected.count
            #expect(got.map(\.pattern) == expected.map(\.0), "\(words)")
            #expect(got.map(\.match) == expected.map(\.1), "\(words)")
        }
        #expect(matched > 0)
    }

    @Test("whether any pattern matches, as asking each pattern for its first match", arguments: lists.map(\.0))
    func anyMatchesAsFirstMatch(list: String) {
        let patterns = Self.lists.first { $0.0 == list }!.1
        let indexed = IndexedPatterns(patterns)
        var hits = 0, misses = 0
        for words in Self.clauses(for: patterns, count: 400) + [[]] {
            let expected = patterns.contains { $0.firstMatch(in: words) != nil }
            #expect(indexed.anyMatches(in: words) == expected, "\(words)")
            if expected { hits += 1 } else { misses += 1 }
        }
        #expect(hits > 0 && misses > 0)
    }
}

/// A small deterministic generator (tests must not depend on the system's random numbers).
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
