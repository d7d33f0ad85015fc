/// Splits tokenised text into sentences without breaking at "Co.", "Inc.", "U.S.", "Jan." or
/// initials; decimals never reach here as breaks (the tokenizer keeps "4.3" whole).
public enum SentenceSplitter {
    static let abbreviations: Set<String> = [
        "co", "corp", "inc", "ltd", "plc", "llc", "bros", "no", "nos", "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr",
        "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "vs", "etc", "approx", "dept", "est", "fig", "ft",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e", "i", "u", "s",
        "mt", "ave", "rd", "intl", "assn", "govt", "hon", "messrs",
    ]

    /// Closing quotes and brackets stay with the sentence they end; an opening quote or bracket
    /// starts a new one.
    private static let closers = ["\"", "\u{201D}", ")", "]"]
    private static let openers = ["\"", "\u{201C}", "("]

    /// Ranges of token indices, one per sentence. Tokens are read in place, field by field: a
    /// token bound whole is a copy (a retain and a release of its strings) per token.
    public static func split(_ tokens: [Token]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        var i = 0
        while i < tokens.count {
            guard tokens[i].kind == .punct else { i += 1; continue }
            let mark = tokens[i].folded
            if mark == "." || mark == "!" || mark == "?" {
                var end = i + 1
                while end < tokens.count, tokens[end].kind == .punct, closers.contains(tokens[end].folded) { end += 1 }
                var isBreak = end == tokens.count || tokens[end].isCapitalised
                    || (tokens[end].kind == .punct && openers.contains(tokens[end].folded))
                if mark == ".", i > start, tokens[i - 1].kind == .word {
                    // Abbreviations and initials ("R.", "U.S.") end no sentence, unless the next
                    // token starts a new one in an obvious way (a quote).
                    if abbreviations.contains(tokens[i - 1].folded)
                        || (tokens[i - 1].text.count == 1 && tokens[i - 1].isCapitalised) {
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
