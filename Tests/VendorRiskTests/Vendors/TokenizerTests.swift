import Foundation
import Testing
@testable import VendorRisk

@Suite("Tokenizer")
struct TokenizerTests {
    /// Texts from the sample feeds, with the edge cases of the splitting rules.
    static let texts: [String] = {
        var texts = [
            "", " ", "Plain words, and punctuation; (brackets) [more] \"quotes\" “curly” — dash – en-dash · dot | bar $5",
            "AT&T and Hydro & Nuclear; R&D", "3.5 percent, 1,200 units, 1.2.3, end. 4,5, x.5 .5 5.",
            "Ünïcödé Électricité Zürich ÅSML naïve café  non-breaking", "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
            "e\u{301}t\u{301}e combining marks", "١٢٣٫٤ Arabic-Indic ٣,٥ digits", "Ⅻ roman ½ fractions ²",
            "東京エレクトロン 株式会社", "emoji 🚀 rocket 🇺🇸 flag", "𝐁𝐨𝐥𝐝 math letters 𝟏.𝟐",
            "it's O'Brien's end-user state-of-the-art", "line\nbreak\r\ncrlf\ttab",
            "ends with a number 42", "ends with a separator 42.", "Ω ohm K kelvin Å angstrom",
        ]
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Feeds/samples")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] {
            guard let feed = try? FeedReader().readFeed(atPath: root.appendingPathComponent(name).path) else { continue }
            for item in feed.items { texts += [item.title, item.summary, item.content].compactMap { $0 } }
        }
        return texts
    }()

    @Test("the scalar class table is its definition: word (letters, digits, alphabetic, numeric, non-spacing marks), numeric, kept punctuation")
    func scalarClassTable() {
        let table = ScalarClass.table
        for v in 0..<table.count {
            let u = Unicode.Scalar(UInt32(v))!
            let p = u.properties
            var expected: UInt8 = 0
            let isWord = u.isASCII ? (u.properties.isAlphabetic || ("0"..."9").contains(u))
                                   : (p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark)
            if isWord { expected |= ScalarClass.word }
            if p.numericType != nil { expected |= ScalarClass.numeric }
            if Tokenizer.keptPunctuation.contains(u) { expected |= ScalarClass.kept }
            #expect(table[v] == expected, "U+\(String(v, radix: 16))")
        }
    }

    @Test("splits exactly as the scalar-by-scalar reference does")
    func sameAsReference() {
        #expect(Self.texts.count > 30)
        for text in Self.texts {
            let got = Tokenizer.tokenize(text)
            let expected = ReferenceTokenizer.tokenize(text)
            #expect(got == expected, "\(text)")
            // Documents cut sentences by the tokens' own indices: those must agree too.
            #expect(got.map(\.text.startIndex) == expected.map(\.text.startIndex), "\(text)")
            #expect(got.map(\.text.endIndex) == expected.map(\.text.endIndex), "\(text)")
        }
    }

    @Test func wordsPunctuationAndOffsets() {
        let t = Tokenizer.tokenize("Zürich's 1,200 chips; AT&T.")
        #expect(t.map(\.folded) == ["zurich", "s", "1,200", "chips", ";", "at", "&", "t", "."])
        #expect(t.map(\.kind) == [.word, .word, .word, .word, .punct, .word, .word, .word, .punct])
        #expect(t.first.map { [$0.start, $0.end] } == [0, 6])
        #expect(t.last.map { [$0.start, $0.end] } == [26, 27])
    }
    /// The table-driven fold must equal Foundation's: every table scalar alone, in words with
    /// ASCII around it, and random words of ASCII and table letters.
    @Test("folding equals Foundation's on Latin letters and words")
    func foldEqualsFoundation() {
        let table = (Tokenizer.latinFoldsStart...0x17F).map { Character(Unicode.Scalar($0)!) }
        for c in table {
            for w in [String(c), "a\(c)b", "\(c)\(c)", "X\(c)9", String(c).uppercased(), String(c).lowercased()] {
                #expect(Tokenizer.fold(w) == Tokenizer.foundationFold(w), "\(w)")
            }
        }
        let ascii = Array("abcXYZ09")
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<3000 {
            let word = String((0..<(1 + next(9))).map { _ in next(3) == 0 ? ascii[next(ascii.count)] : table[next(table.count)] })
            #expect(Tokenizer.fold(word) == Tokenizer.foundationFold(word), "\(word)")
        }
        // Outside the table: Foundation for the whole word.
        for w in ["Ｆｕｌｌ", "東京", "e\u{301}te", "Ωmega", "ǅemal", "ﬁnance"] {
            #expect(Tokenizer.fold(w) == Tokenizer.foundationFold(w), "\(w)")
        }
    }

    @Test("capitalised and all-capitals tokens read as their characters say, ASCII or not", arguments: [
        "Intel", "intel", "INTEL", "IBM's", "3M", "x86", "Électricité", "ÉLECTRICITÉ", "E\u{301}cole", "e\u{301}cole",
        "ÖBB", "Öbb", "ßtrasse", "Σ", "σ", "A1B2", "a1B2", "١٢٣", "&", ".", "TSMC", "TSMc", "ZÜRICH",
    ])
    func capitals(word: String) {
        for token in Tokenizer.tokenize(word) {
            let characters = Array(token.text)
            #expect(token.isCapitalised == (characters.first.map { $0.isUppercase || $0.isNumber } ?? false), "\(token.text)")
            let letters = characters.filter(\.isLetter)
            #expect(token.isAllCaps == (!letters.isEmpty && letters.allSatisfy(\.isUppercase)), "\(token.text)")
        }
    }
}

/// The tokenizer as it was written first, over the `unicodeScalars` view: the oracle for the
/// byte-level one.
private enum ReferenceTokenizer {
    static func tokenize(_ text: String) -> [Token] {
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
            let folded = ascii ? sub.lowercased() : Tokenizer.fold(sub)
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
}
