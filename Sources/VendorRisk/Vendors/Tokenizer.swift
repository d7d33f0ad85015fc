import Foundation

/// A word or punctuation mark of a text, with its case-folded form and where it stands.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case word, punct }
    public let kind: Kind
    /// The text as written.
    public let text: Substring
    /// Lower-cased, diacritics removed ("Électricité" → "electricite"); punctuation as written.
    public let folded: String
    /// Offset of the first unicode scalar in the tokenised string.
    public let start: Int
    /// Offset just past the last unicode scalar.
    public let end: Int

    public var isCapitalised: Bool { text.first.map { $0.isUppercase || $0.isNumber } ?? false }
    public var isAllCaps: Bool {
        var letters = 0
        for c in text where c.isLetter { if !c.isUppercase { return false }; letters += 1 }
        return letters > 0
    }
}

/// Splits text into words and punctuation marks. Apostrophes, hyphens and white space (NBSP
/// included) separate words and are not tokens; "&" is a word so that "Hydro & Nuclear" matches.
public enum Tokenizer {
    /// Punctuation that is kept as a token (it ends names and marks clause structure).
    static let keptPunctuation: Set<Unicode.Scalar> = [".", ",", ";", ":", "!", "?", "(", ")", "[", "]",
                                                      "\"", "\u{201C}", "\u{201D}", "\u{2014}", "\u{2013}", "·", "|", "$"]

    public static func tokenize(_ text: String) -> [Token] {
        let classes = ScalarClass.table
        var tokens: [Token] = []
        tokens.reserveCapacity(text.utf8.count / 5)
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        var offset = 0
        var wordStart: String.UnicodeScalarView.Index? = nil
        var wordStartOffset = 0
        var ascii = true

        func flush(_ endIndex: String.UnicodeScalarView.Index, _ endOffset: Int) {
            guard let s = wordStart else { return }
            let sub = Substring(text.unicodeScalars[s..<endIndex])
            let folded = ascii ? asciiLowercased(sub) : fold(sub)
            tokens.append(Token(kind: .word, text: sub, folded: folded, start: wordStartOffset, end: endOffset))
            wordStart = nil
            ascii = true
        }

        while i < scalars.endIndex {
            let u = scalars[i]
            let isWordScalar: Bool
            if u.isASCII {
                let v = u.value
                isWordScalar = (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
            } else if Int(u.value) < classes.count {
                isWordScalar = classes[Int(u.value)] & ScalarClass.word != 0
            } else {
                let p = u.properties
                isWordScalar = p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark
            }
            if isWordScalar {
                if wordStart == nil { wordStart = i; wordStartOffset = offset }
                if !u.isASCII { ascii = false }
            } else {
                // A decimal point or thousands separator between digits stays inside the number.
                if (u == "." || u == ","), wordStart != nil, let prev = tokensLastScalar(scalars, i),
                   prev.properties.numericType != nil, let next = nextScalar(scalars, i),
                   next.properties.numericType != nil {
                    i = scalars.index(after: i); offset += 1
                    continue
                }
                flush(i, offset)
                if u == "&" || ScalarClass.isKept(u, classes) {
                    let next = scalars.index(after: i)
                    let sub = Substring(text.unicodeScalars[i..<next])
                    tokens.append(Token(kind: u == "&" ? .word : .punct, text: sub, folded: String(sub),
                                        start: offset, end: offset + 1))
                }
            }
            i = scalars.index(after: i)
            offset += 1
        }
        flush(i, offset)
        return tokens
    }

    private static func tokensLastScalar(_ s: String.UnicodeScalarView, _ i: String.UnicodeScalarView.Index) -> Unicode.Scalar? {
        i > s.startIndex ? s[s.index(before: i)] : nil
    }

    private static func nextScalar(_ s: String.UnicodeScalarView, _ i: String.UnicodeScalarView.Index) -> Unicode.Scalar? {
        let n = s.index(after: i)
        return n < s.endIndex ? s[n] : nil
    }

    /// `s.lowercased()` for ASCII text, on its bytes (most words need no change at all).
    static func asciiLowercased(_ s: Substring) -> String {
        let utf8 = s.utf8
        guard utf8.contains(where: { $0 &- 65 < 26 }) else { return String(s) }
        return String(unsafeUninitializedCapacity: utf8.count) { out in
            var i = 0
            for b in utf8 { out[i] = b &+ (b &- 65 < 26 ? 32 : 0); i += 1 }
            return i
        }
    }

    /// Case-folds and removes diacritics.
    public static func fold<S: StringProtocol>(_ s: S) -> String {
        String(s).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }
}

/// Word-scalar, numeric and kept-punctuation classes of the scalars below U+2100 (ASCII, Latin,
/// Greek, Cyrillic, ..., General Punctuation with the curly quotes and dashes), computed once from
/// the same Unicode properties and set `Tokenizer` tests: the per-scalar property lookups and the
/// set's hashing were most of the cost of splitting text.
enum ScalarClass {
    static let word: UInt8 = 1
    static let numeric: UInt8 = 2
    static let kept: UInt8 = 4

    static let table: [UInt8] = (0..<0x2100).map { v -> UInt8 in
        guard let u = Unicode.Scalar(UInt32(v)) else { return 0 }  // surrogates: none below U+2100
        var c: UInt8 = 0
        if u.isASCII {
            if (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) { c |= word }
        } else {
            let p = u.properties
            if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark { c |= word }
        }
        if u.properties.numericType != nil { c |= numeric }
        if Tokenizer.keptPunctuation.contains(u) { c |= kept }
        return c
    }

    /// `Tokenizer.keptPunctuation.contains(u)`.
    @inline(__always) static func isKept(_ u: Unicode.Scalar, _ classes: [UInt8]) -> Bool {
        Int(u.value) < classes.count ? classes[Int(u.value)] & kept != 0 : Tokenizer.keptPunctuation.contains(u)
    }
}
