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

    /// Whether it starts with a capital letter or a digit. An ASCII first byte decides without
    /// Unicode's tables (a character's properties, looked up per token, were most of the test).
    public var isCapitalised: Bool {
        guard let b = text.utf8.first else { return false }
        if b < 0x80 { return b &- 0x41 < 26 || b &- 0x30 < 10 }
        return text.first.map { $0.isUppercase || $0.isNumber } ?? false
    }
    public var isAllCaps: Bool {
        // ASCII letters decide on their bytes; anything else is asked of its character.
        var letters = 0
        var i = text.utf8.startIndex
        while i < text.utf8.endIndex {
            let b = text.utf8[i]
            guard b < 0x80 else { return Self.allCapsCharacters(text) }
            if b &- 0x61 < 26 { return false }
            if b &- 0x41 < 26 { letters += 1 }
            i = text.utf8.index(after: i)
        }
        return letters > 0
    }

    private static func allCapsCharacters(_ text: Substring) -> Bool {
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
        var contiguous = text
        return contiguous.withUTF8 { tokenize(text, utf8: $0) }
    }

    /// Walks the UTF-8 bytes (valid: they come from a `String`), counting scalars for the offsets;
    /// tokens are cut from `text` by UTF-8 offsets. Decoding scalar by scalar through the
    /// `unicodeScalars` view cost more than everything else tokenising does.
    private static func tokenize(_ text: String, utf8 p: UnsafeBufferPointer<UInt8>) -> [Token] {
        let classes = ScalarClass.table
        let base = text.utf8.startIndex
        func index(_ byte: Int) -> String.Index { text.utf8.index(base, offsetBy: byte) }
        var tokens: [Token] = []
        // A token per four bytes or so, and a few more for a short text: one allocation, mostly.
        tokens.reserveCapacity(p.count / 4 + 4)
        var i = 0
        var offset = 0
        var wordStart = -1
        var wordStartOffset = 0
        var ascii = true
        var previous: UInt32 = 0

        func flush(_ endByte: Int, _ endOffset: Int) {
            guard wordStart >= 0 else { return }
            let sub = text[index(wordStart)..<index(endByte)]
            let folded = ascii ? asciiLowercased(UnsafeBufferPointer(rebasing: p[wordStart..<endByte])) : fold(sub)
            tokens.append(Token(kind: .word, text: sub, folded: folded, start: wordStartOffset, end: endOffset))
            wordStart = -1
            ascii = true
        }

        while i < p.count {
            let (v, length) = ScalarClass.decode(p, at: i)
            let isWordScalar: Bool
            if v < 0x80 {
                isWordScalar = (v &- 48 < 10) || (v &- 65 < 26) || (v &- 97 < 26)
            } else if Int(v) < classes.count {
                isWordScalar = classes[Int(v)] & ScalarClass.word != 0
            } else {
                let props = Unicode.Scalar(v)!.properties
                isWordScalar = props.isAlphabetic || props.numericType != nil || props.generalCategory == .nonspacingMark
            }
            if isWordScalar {
                if wordStart < 0 { wordStart = i; wordStartOffset = offset }
                if v >= 0x80 { ascii = false }
            } else {
                // A decimal point or thousands separator between digits stays inside the number.
                if v == 0x2E || v == 0x2C, wordStart >= 0, ScalarClass.isNumeric(previous, classes), i + length < p.count,
                   ScalarClass.isNumeric(ScalarClass.decode(p, at: i + length).0, classes) {
                    previous = v
                    i += length
                    offset += 1
                    continue
                }
                flush(i, offset)
                let u = Unicode.Scalar(v)!
                if v == 0x26 || ScalarClass.isKept(u, classes) {
                    let sub = text[index(i)..<index(i + length)]
                    tokens.append(Token(kind: v == 0x26 ? .word : .punct, text: sub, folded: String(sub),
                                        start: offset, end: offset + 1))
                }
            }
            previous = v
            i += length
            offset += 1
        }
        flush(p.count, offset)
        return tokens
    }

    /// `lowercased()` of ASCII text, from its bytes (iterating a `Substring`'s UTF-8 view cost
    /// more than the copy).
    static func asciiLowercased(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: utf8.count) { out in
            for i in 0..<utf8.count {
                let b = utf8[i]
                out[i] = b &+ (b &- 65 < 26 ? 32 : 0)
            }
            return utf8.count
        }
    }

    /// Case-folds and removes diacritics.
    ///
    /// Words of ASCII and Latin-1 / Latin Extended-A letters ("Zürich", "Kraków", "São") are folded
    /// a scalar at a time from a table that Foundation's own folding filled: Foundation's call cost
    /// a microsecond or more per word, and feeds are full of such names. Any other scalar goes to
    /// Foundation for the whole word. (Tested equal to Foundation on every table scalar and on
    /// random words.)
    public static func fold<S: StringProtocol>(_ s: S) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 4)
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                let b = UInt8(v)
                out.append(b &+ (b &- 65 < 26 ? 32 : 0))
            } else if v >= latinFoldsStart, Int(v - latinFoldsStart) < latinFolds.count {
                out.append(contentsOf: latinFolds[Int(v - latinFoldsStart)])
            } else {
                return foundationFold(s)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func foundationFold<S: StringProtocol>(_ s: S) -> String {
        String(s).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    static let latinFoldsStart: UInt32 = 0xC0
    /// U+00C0 ... U+017F, each as Foundation folds it alone (UTF-8).
    static let latinFolds: [[UInt8]] = (latinFoldsStart...0x17F).map { v in
        Array(foundationFold(String(Unicode.Scalar(v)!)).utf8)
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

    /// Per scalar below U+2100, its classes: an ASCII letter or digit, or any alphabetic, numeric
    /// or non-spacing-mark scalar, is a word scalar. Built when first used, at every run's start:
    /// each scalar's properties are looked up once (twice, and a set lookup each, cost 4 ms).
    static let table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x2100)
        for v in 0..<0x80 where (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) {
            table[v] = v <= 57 ? word | numeric : word
        }
        for v in 0x80..<0x2100 {
            let p = Unicode.Scalar(UInt32(v))!.properties  // surrogates: none below U+2100
            let isNumeric = p.numericType != nil
            if p.isAlphabetic || isNumeric || p.generalCategory == .nonspacingMark { table[v] |= word }
            if isNumeric { table[v] |= numeric }
        }
        for u in Tokenizer.keptPunctuation where u.value < 0x2100 { table[Int(u.value)] |= kept }
        return table
    }()

    /// `Tokenizer.keptPunctuation.contains(u)`.
    @inline(__always) static func isKept(_ u: Unicode.Scalar, _ classes: [UInt8]) -> Bool {
        Int(u.value) < classes.count ? classes[Int(u.value)] & kept != 0 : Tokenizer.keptPunctuation.contains(u)
    }

    /// `Unicode.Scalar(v).properties.numericType != nil`, through the class table where it reaches.
    @inline(__always) static func isNumeric(_ v: UInt32, _ classes: [UInt8]) -> Bool {
        if Int(v) < classes.count { return classes[Int(v)] & ScalarClass.numeric != 0 }
        return Unicode.Scalar(v)?.properties.numericType != nil
    }

    /// The scalar that starts at byte `i` of valid UTF-8, and its length in bytes.
    @inline(__always) static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                | UInt32(p[i + 3] & 0x3F), 4)
    }
}
