import Foundation
/// Words without which the lexicon's boilerplate patterns cannot match a block, so most blocks
/// are cleared with one set lookup per word instead of every pattern tried at every word. A
/// "maybe" runs the patterns themselves: the anchors only ever skip work whose answer is "no".
struct BoilerplateAnchors: Sendable {
    /// Words an opener or a related-links header can start with (nil: not known, always try).
    let openerStart: CuePattern.WordSet?
    let headerStart: CuePattern.WordSet?
    /// For each boilerplate phrase, one word position it needs, merged (nil: always try).
    let phraseWord: CuePattern.WordSet?

    init(_ lexicon: Lexicon) {
        openerStart = Self.merged(lexicon.boilerplateOpeners.map(\.firstWords))
        headerStart = Self.merged(lexicon.relatedHeaders.map(\.firstWords))
        phraseWord = Self.merged(lexicon.boilerplatePhrases.map(Self.anchor))
    }

    /// Whether the block's words can open with an opener / a header; hold a phrase.
    func mayOpen(_ w: [String]) -> Bool { Self.first(w, openerStart) }
    func mayBeHeader(_ w: [String]) -> Bool { Self.first(w, headerStart) }
    func mayHoldPhrase(_ w: [String]) -> Bool {
        guard let phraseWord else { return true }
        return w.contains(where: phraseWord.contains)
    }

    private static func first(_ w: [String], _ set: CuePattern.WordSet?) -> Bool {
        guard let set else { return true }
        return w.first.map(set.contains) ?? false
    }

    /// The word position of a pattern with the longest shortest alternative (long words are rare);
    /// only positions of single words qualify.
    private static func anchor(_ p: CuePattern) -> CuePattern.WordSet? {
        var best: (set: CuePattern.WordSet, length: Int)?
        for case let .words(set) in p.elements where set.others.isEmpty {
            let length = (Array(set.exact) + set.prefixes).map(\.utf8.count).min() ?? 0
            if best == nil || length > best!.length { best = (set, length) }
        }
        return best?.set
    }

    /// One set of the words of several positions; nil when one of them is unknown or has
    /// multi-word alternatives.
    private static func merged(_ sets: [CuePattern.WordSet?]) -> CuePattern.WordSet? {
        var tests: [CuePattern.WordTest] = []
        for set in sets {
            guard let set, set.others.isEmpty else { return nil }
            tests += set.exact.sorted().map { .exact($0) } + set.prefixes.map { .prefix($0) }
        }
        return CuePattern.WordSet(tests)
    }
}

extension Document {
    /// Whether `components(separatedBy: " · ").count >= 3` can hold: not without a middle dot
    /// (U+00B7, or U+0387, the one character canonically equivalent to it).
    static func mayBeHeadlineRun(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { p in
            // The trail bytes, found by `memchr` (most lines have neither), then their lead bytes.
            guard let base = p.baseAddress else { return false }
            for (lead, trail): (UInt8, UInt8) in [(0xC2, 0xB7), (0xCE, 0x87)] {
                var from = 0
                while let k = ByteScan.firstIndex(of: trail, base, from, p.count) {
                    if k > 0 && base[k - 1] == lead { return true }
                    from = k + 1
                }
            }
            return false
        }
    }
}
