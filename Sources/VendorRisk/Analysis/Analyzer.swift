import Foundation

/// Maps an item to vendor mentions and risk signals: one pure function of the item, the catalogue
/// matcher and the rule set.
///
/// A class (its tables never change once built): the workers share one, and a copy of a struct of
/// the rules, the matcher and the indexes was dozens of retains of tables both cores touch.
public final class Analyzer: Sendable {
    public let rules: RuleSet
    public let matcher: VendorMatcher

    let index: CueIndex
    let scanner: ItemScanner
    let boilerplate: BoilerplateAnchors
    let lists: LexiconLists

    public init(rules: RuleSet, matcher: VendorMatcher) {
        self.rules = rules
        self.matcher = matcher
        self.index = CueIndex(rules.rules)
        self.scanner = ItemScanner(rules: rules.rules, matcher: matcher)
        self.boilerplate = BoilerplateAnchors(rules.lexicon)
        self.lists = LexiconLists(rules.lexicon)
    }

    /// With `cancelledCues` false the result lists no cancelled cue (the nightly run stores none),
    /// and an item that names no vendor skips the rules: a signal needs a vendor named in the
    /// title or the body.
    public func analyze(_ item: FeedItem, cancelledCues: Bool = true) -> ItemAnalysis {
        analyze(item, summaryRead: Self.summaryRead(item), cancelledCues: cancelledCues)
    }

    /// The same, with `summaryRead(item)` worked out already.
    func analyze(_ item: FeedItem, summaryRead: String?, cancelledCues: Bool) -> ItemAnalysis {
        let body = item.content ?? summaryRead ?? ""
        var extra: [String] = []
        if item.content != nil, let s = summaryRead, !s.isEmpty { extra.append(s) }
        return analyze(title: item.title, body: body, extraMentionText: extra, cancelledCues: cancelledCues)
    }

    /// The summary as the analysis reads it: nil when the item has content that holds the
    /// summary's words in the same order (feeds often repeat the opening paragraphs as a teaser,
    /// broken into paragraphs differently), as such a summary names no vendor the content does
    /// not; else the summary. A teaser beside full content can name vendors the content leaves out.
    public static func summaryRead(_ item: FeedItem) -> String? {
        guard let content = item.content, let s = item.summary, !s.isEmpty else { return item.summary }
        return WordRun.holds(content, s) ? nil : s
    }

    /// Analyzes a title and body text (paragraphs separated by blank lines, lines by "\n").
    public func analyze(title: String?, body: String, extraMentionText: [String] = [],
                        cancelledCues: Bool = true) -> ItemAnalysis {
        // Where no cue can match, the sentence model and the rules have nothing to do: only the
        // mentions are wanted, and only from the blocks where a name can be.
        // Cues are looked for only where they can count: with cancelled cues wanted, always;
        // otherwise only when the item may name a vendor (the title is short: always there).
        let titleScan = title.map { scanner.scan($0, lines: false) } ?? .init()
        let bodyScan = scanner.scan(body, lines: true, cues: cancelledCues || titleScan.mayMention ? .always : .ifMention)
        let mayName = titleScan.mayMention || bodyScan.mayMention
        if (!titleScan.mayCue && !bodyScan.mayCue) || (!cancelledCues && !mayName) {
            var found: [Mention] = []
            // Only the text where the scans found a possible name is tokenised (tokenising costs
            // more than scanning): the title, and the sentences of the body the body scan marked.
            // Those are whole sentences as `SentenceSplitter` cuts them, and no name, ticker or
            // context test reaches across a plain sentence end (names with exclusion phrases come
            // as whole lines), so they give the mentions of their lines, in the same order.
            if let title, !title.isEmpty, titleScan.mayMention {
                found += Document.mentionsInSentenceOrder(title, matcher: matcher)
            }
            if !bodyScan.mentionSpans.isEmpty {
                var bytes = body
                bytes.withUTF8 { p in
                    var capsLine: Range<Int>?
                    var allCaps = false
                    for span in bodyScan.mentionSpans {
                        if span.line != capsLine {
                            allCaps = VendorMatcher.isAllCapsText(utf8: UnsafeBufferPointer(rebasing: p[span.line]))
                            capsLine = span.line
                        }
                        let text = String(decoding: UnsafeBufferPointer(rebasing: p[span.bytes]), as: UTF8.self)
                        found += Document.mentionsInSentenceOrder(text, matcher: matcher, allCaps: allCaps)
                    }
                }
            }
            return analysis(documentMentions: found, extraMentionText: extraMentionText, signals: [], cancelled: [])
        }

        let doc = Document(title: title, body: body, matcher: matcher, lexicon: rules.lexicon, anchors: boilerplate,
                           mayMention: .init(title: titleScan.mayMention, bodyLines: bodyScan.mentionLines))
        var engine = SignalEngine(rules: rules, doc: doc, index: index, scanner: scanner, lists: lists)
        let (signals, cancelled) = engine.run()
        return analysis(documentMentions: doc.sentences.flatMap { $0.mentions.map(\.mention) },
                        extraMentionText: extraMentionText, signals: signals, cancelled: cancelledCues ? cancelled : [])
    }

    /// Mentions counted per vendor in order of first appearance; the extra texts add vendors the
    /// document does not name.
    private func analysis(documentMentions: [Mention], extraMentionText: [String], signals: [Signal],
                          cancelled: [CancelledCue]) -> ItemAnalysis {
        var counts: [Int: (alias: String, count: Int, order: Int)] = [:]
        var order = 0
        func count(_ m: Mention) {
            if let c = counts[m.vendor] { counts[m.vendor] = (c.alias, c.count + 1, c.order) }
            else { counts[m.vendor] = (m.form, 1, order); order += 1 }
        }
        for m in documentMentions { count(m) }
        let seen = Set(counts.keys)
        for t in extraMentionText {
            // A teaser names the vendors of the story it sums up, mostly: when every vendor it may
            // name is one the document names, it adds nothing and is not tokenised.
            let scan = scanner.scan(t, lines: false, vendors: true, cues: .none)
            guard scan.mayMention, !scan.vendors.allSatisfy(seen.contains) else { continue }
            for m in matcher.mentions(in: t) where !seen.contains(m.vendor) { count(m) }
        }
        let mentions = counts.sorted { $0.value.order < $1.value.order }
            .map { ItemAnalysis.VendorMention(vendor: $0.key, alias: $0.value.alias, count: $0.value.count) }
        return ItemAnalysis(mentions: mentions, signals: signals, cancelled: cancelled)
    }
}

/// One sentence of an item with its words and vendor mentions (word positions).
struct Sentence {
    struct Located { let mention: Mention; let start: Int; let end: Int }
    /// Its position in the document's sentences.
    let index: Int
    let block: Int
    let isTitle: Bool
    let boilerplate: Bool
    let text: String
    let words: [String]
    /// Word positions of ";" clause breaks.
    let clauseBreaks: [Int]
    /// Word positions that follow a comma, dash or bracket (windows stop there).
    let commas: [Int]
    let mentions: [Located]
}

/// An item split into sentences, with boilerplate marked by structure and wording.
struct Document {
    var sentences: [Sentence] = []

    /// The title, then each non-blank line of the body, trimmed.
    static func blocks(title: String?, body: String) -> [(text: String, isTitle: Bool)] {
        blocksWithOffsets(title: title, body: body).map { ($0.text, $0.isTitle) }
    }

    /// The same, with the UTF-8 offset in `body` where each body block's line starts (0 for the title).
    static func blocksWithOffsets(title: String?, body: String) -> [(text: String, isTitle: Bool, offset: Int)] {
        var blocks: [(text: String, isTitle: Bool, offset: Int)] = []
        if let title, !title.isEmpty { blocks.append((title, true, 0)) }
        for (offset, line) in linesWithOffsets(body) {
            let t = trimmed(line)
            if !t.isEmpty { blocks.append((t, false, offset)) }
        }
        return blocks
    }

    /// Which blocks the item scan found may name a vendor (`ItemScanner.Result`): the matcher finds
    /// nothing in the others, so it is not run there.
    struct MentionMarks {
        var title: Bool
        /// Ascending UTF-8 offsets of the body lines that may name one.
        var bodyLines: [Int]

        func contains(isTitle: Bool, offset: Int) -> Bool {
            if isTitle { return title }
            // Binary search: the list is sorted.
            var lo = 0, hi = bodyLines.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if bodyLines[mid] < offset { lo = mid + 1 } else { hi = mid }
            }
            return lo < bodyLines.count && bodyLines[lo] == offset
        }
    }

    /// `body.split(whereSeparator: { $0 == "\n" || $0 == "\r" })` over `Character`s, found on the
    /// UTF-8 bytes: "\r\n" is one `Character`, equal to neither, so it separates nothing.
    static func lines(_ body: String) -> [Substring] { linesWithOffsets(body).map(\.line) }

    /// The same lines, each with the UTF-8 offset where it starts. The bytes are read through a
    /// pointer: walking the string's UTF-8 view by index cost more than the rest of the split.
    static func linesWithOffsets(_ body: String) -> [(offset: Int, line: Substring)] {
        var copy = body
        let ranges: [Range<Int>] = copy.withUTF8 { p in
            var out: [Range<Int>] = []
            var start = 0
            for i in p.indices {
                let b = p[i]
                guard b == 0x0A || b == 0x0D else { continue }
                // A line feed after a carriage return, or a carriage return before one: "\r\n".
                if b == 0x0A ? i > 0 && p[i - 1] == 0x0D : i + 1 < p.count && p[i + 1] == 0x0A { continue }
                if start < i { out.append(start..<i) }
                start = i + 1
            }
            if start < p.count { out.append(start..<p.count) }
            return out
        }
        // Line ends are ASCII bytes, so every offset is a scalar boundary of the original string.
        let utf8 = body.utf8
        return ranges.map { r in
            (r.lowerBound, body[utf8.index(utf8.startIndex, offsetBy: r.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: r.upperBound)])
        }
    }

    /// `line.trimmingCharacters(in: .whitespaces)`, without Foundation when there is nothing to
    /// trim: a line that starts and ends with an ASCII character other than space or tab.
    static func trimmed(_ line: Substring) -> String {
        if let first = line.utf8.first, let last = line.utf8.last, first < 0x80, last < 0x80,
           first != 0x20, first != 0x09, last != 0x20, last != 0x09 {
            return String(line)
        }
        // The same trim on the line's scalars: Foundation's went through NSString for every such
        // line (curly quotes open and close many). White space is one scalar in `.whitespaces`.
        let scalars = line.unicodeScalars
        var lo = scalars.startIndex, hi = scalars.endIndex
        while lo < hi, whitespace.contains(scalars[lo]) { lo = scalars.index(after: lo) }
        while lo < hi, whitespace.contains(scalars[scalars.index(before: hi)]) { hi = scalars.index(before: hi) }
        return String(Substring(scalars[lo..<hi]))
    }
    private static let whitespace = CharacterSet.whitespaces

    /// The mentions of one block in the order the sentence model lists them: sentence by sentence
    /// (a ticker named in an early sentence comes before a name in a later one).
    /// `allCaps`: whether the line the text is part of is written in capitals (when it is not the
    /// whole line).
    static func mentionsInSentenceOrder(_ text: String, matcher: VendorMatcher, allCaps: Bool? = nil) -> [Mention] {
        let tokens = Tokenizer.tokenize(text)
        let found = allCaps.map { matcher.mentions(in: tokens, allCaps: $0) } ?? matcher.mentions(in: tokens, of: text)
        // Sentences are runs of tokens in order: mentions already in token order are in sentence order.
        if zip(found, found.dropFirst()).allSatisfy({ $0.tokens.lowerBound <= $1.tokens.lowerBound }) { return found }
        var out: [Mention] = []
        for r in SentenceSplitter.split(tokens) {
            out += found.filter { r.contains($0.tokens.lowerBound) }
        }
        return out
    }

    init(title: String?, body: String, matcher: VendorMatcher, lexicon: Lexicon, anchors: BoilerplateAnchors,
         mayMention: MentionMarks? = nil) {
        let withOffsets = Self.blocksWithOffsets(title: title, body: body)
        let blocks = withOffsets.map { (text: $0.text, isTitle: $0.isTitle) }
        let tokenised = blocks.map { Tokenizer.tokenize($0.text) }
        // Each block's words in one pass, tokens read in place (a filtered copy of the tokens first
        // grew an array and copied every token's strings).
        let words = tokenised.map { tokens in
            var words: [String] = []
            words.reserveCapacity(tokens.count)
            for i in tokens.indices where tokens[i].kind == .word { words.append(tokens[i].folded) }
            return words
        }
        let boiler = Self.boilerplate(blocks: blocks, words: words, lexicon: lexicon, anchors: anchors)
        for (b, block) in blocks.enumerated() {
            let tokens = tokenised[b]
            let found = mayMention.map { !$0.contains(isTitle: block.isTitle, offset: withOffsets[b].offset) } ?? false
                ? [] : matcher.mentions(in: tokens, of: block.text)
            for r in SentenceSplitter.split(tokens) {
                var ws: [String] = []
                ws.reserveCapacity(r.count)
                // Token index - r.lowerBound → word position, or -1 (an array: no hashing per token).
                var wordAt = [Int](repeating: -1, count: r.count)
                var breaks: [Int] = []
                var commas: [Int] = []
                for i in r {
                    // Read in place: a token bound whole is a copy of its strings.
                    if tokens[i].kind == .word { wordAt[i - r.lowerBound] = ws.count; ws.append(tokens[i].folded) }
                    else {
                        switch tokens[i].folded {
                        case ";": breaks.append(ws.count)
                        case ",", "(", ")", "\u{2014}", "\u{2013}", ":": commas.append(ws.count)
                        default: break
                        }
                    }
                }
                guard !ws.isEmpty else { continue }
                func word(_ i: Int) -> Int? {
                    let k = i - r.lowerBound
                    return k >= 0 && k < wordAt.count && wordAt[k] >= 0 ? wordAt[k] : nil
                }
                var located: [Sentence.Located] = []
                for m in found where r.contains(m.tokens.lowerBound) {
                    let first = m.tokens.first { word($0) != nil }.flatMap { word($0) } ?? 0
                    let last = m.tokens.reversed().first { word($0) != nil }.flatMap { word($0) } ?? first
                    located.append(.init(mention: m, start: first, end: last + 1))
                }
                // The sentence's scalars, cut by the tokens' own indices into the block (no scalar copy).
                let lo = tokens[r.lowerBound].text.startIndex, hi = tokens[r.upperBound - 1].text.endIndex
                let text = String(Substring(block.text.unicodeScalars[lo..<hi]))
                sentences.append(Sentence(index: sentences.count, block: b, isTitle: block.isTitle, boilerplate: boiler[b],
                                          text: text, words: ws, clauseBreaks: breaks, commas: commas,
                                          mentions: located))
            }
        }
    }

    /// Adverts, sponsored notes, related-link lists and newsletter footers, found per block.
    static func boilerplate(blocks: [(text: String, isTitle: Bool)], words: [[String]], lexicon: Lexicon,
                            anchors: BoilerplateAnchors) -> [Bool] {
        var out = [Bool](repeating: false, count: blocks.count)
        func opens(_ w: [String], _ patterns: [CuePattern]) -> Bool {
            patterns.contains { p in p.match(in: w, at: 0) != nil }
        }
        // A sponsored item is boilerplate from its title down.
        if let first = blocks.first, first.isTitle, anchors.mayOpen(words[0]), opens(words[0], lexicon.boilerplateOpeners) {
            return out.map { _ in true }
        }
        var inRelated = false
        for (b, block) in blocks.enumerated() where !block.isTitle {
            let w = words[b]
            let endsLikeProse = block.text.last.map { ".!?\u{201D}\"".contains($0) } ?? false
            if inRelated {
                if w.count <= 25 && !endsLikeProse { out[b] = true; continue }
                inRelated = false
            }
            if w.count <= 4, anchors.mayBeHeader(w), lexicon.relatedHeaders.contains(where: { p in p.match(in: w, at: 0)?.end == w.count }) {
                out[b] = true; inRelated = true; continue
            }
            if anchors.mayOpen(w), opens(w, lexicon.boilerplateOpeners) { out[b] = true; continue }
            if w.count < 70, anchors.mayHoldPhrase(w), lexicon.boilerplatePhrases.contains(where: { $0.firstMatch(in: w) != nil }) {
                out[b] = true; continue
            }
            // A run of headlines joined by separators ("A · B · C").
            if mayBeHeadlineRun(block.text), block.text.components(separatedBy: " · ").count >= 3 { out[b] = true }
        }
        return out
    }
}
