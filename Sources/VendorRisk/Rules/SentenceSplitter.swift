/// Splits tokenised text into sentences without breaking at "Co.", "Inc.", "U.S.", "Jan." or
/// initials; decimals never reach here as breaks (the tokenizer keeps "4.3" whole).
public enum SentenceSplitter {
    static let abbreviations: Set<String> = [
        "co", "corp", "inc", "ltd", "plc", "llc", "bros", "no", "nos", "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr",
        "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "vs", "etc", "approx", "dept", "est", "fig", "ft",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e", "i", "u", "s",
        "mt", "ave", "rd", "intl", "assn", "govt", "hon", "messrs",
    ]

    /// Ranges of token indices, one per sentence.
    public static func split(_ tokens: [Token]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if t.kind == .punct, t.folded == "." || t.folded == "!" || t.folded == "?" {
                // Closing quotes and brackets stay with the sentence they end.
                var end = i + 1
                while end < tokens.count, tokens[end].kind == .punct,
                      ["\"", "\u{201D}", ")", "]"].contains(tokens[end].folded) { end += 1 }
                let next = end < tokens.count ? tokens[end] : nil
                var isBreak = next == nil || next!.isCapitalised
                    || (next!.kind == .punct && ["\"", "\u{201C}", "("].contains(next!.folded))
                if t.folded == ".", i > start, tokens[i - 1].kind == .word {
                    let prev = tokens[i - 1]
                    // Abbreviations and initials ("R.", "U.S.") end no sentence, unless the next
                    // token starts a new one in an obvious way (a quote).
                    if abbreviations.contains(prev.folded) || (prev.text.count == 1 && prev.isCapitalised) {
                        isBreak = false
                    }
                }
                if isBreak {
                    out.append(start..<end)
                    start = end
                    i = end
                    continue
                }
            }
            i += 1
        }
        if start < tokens.count { out.append(start..<tokens.count) }
        return out
    }
}
