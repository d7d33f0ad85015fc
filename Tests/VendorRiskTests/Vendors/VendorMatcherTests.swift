import Testing
@testable import VendorRisk

@Suite("Name matching")
struct VendorMatcherTests {
    static let catalogue = try! Catalogue.parse("""
        name,aliases,ticker,not
        "Micron Technology, Inc.",Micron,MU,
        "Applied Materials, Inc.",,AMAT,
        Lam Research Corporation,,LRCX,
        "Block, Inc.",Square,XYZ,city block
        Tokyo Electron Limited,TEL,8035.T,
        "Advanced Micro Devices, Inc.",AMD,AMD,
        Intel Corporation,Intel,INTC,
        Ford Motor Company,Ford,F,
        "Beijing Kunlun Tech Co., Ltd.",Kunlun Tech;Kunlun,,
        RTX Corporation,RTX;Raytheon,RTX,
        China COSCO Shipping Corporation Limited,COSCO Shipping;COSCO,,
        Électricité de France SA,EDF,,
        Westinghouse Electric Company LLC,Westinghouse,,
        """, source: "test.csv")
    let matcher = VendorMatcher(catalogue: Self.catalogue)

    func names(_ text: String) -> Set<String> {
        Set(matcher.mentions(in: text).map { Self.catalogue.vendors[$0.vendor].name })
    }

    @Test("common-word names count only when written as names", arguments: [
        "The city block was sealed off.", "Keep a steady cadence of launches.", "Subscribe for weekly chip intel.",
        "Years of applied materials research.", "Carrie Lam said so.", "after days of turmoil, the ford was flooded",
    ])
    func commonWords(_ text: String) {
        #expect(names(text).isEmpty)
    }

    @Test("a capitalised common-word name is a mention")
    func capitalisedName() {
        #expect(names("Block said revenue rose.") == ["Block, Inc."])
        #expect(names("Analysts expect Micron to gain.") == ["Micron Technology, Inc."])
    }

    @Test("names inside other words never match", arguments: [
        "Amdahl's law applies.", "Seismic data arrived.", "East Hartford is in Connecticut.",
        "artificial intelligence services", "Intelligence agencies warned.", "Klarna and Intellect",
    ])
    func substrings(_ text: String) {
        #expect(names(text).isEmpty)
    }

    @Test("tickers count only in ticker contexts")
    func tickers() {
        #expect(names("Shares of the chipmaker (NASDAQ: MU) fell.") == ["Micron Technology, Inc."])
        #expect(names("Buy $LRCX now.") == ["Lam Research Corporation"])
        #expect(names("It fell (LRCX) on Monday.") == ["Lam Research Corporation"])
        #expect(names("MU and F are letters.").isEmpty)
    }

    @Test("legal forms are optional in text")
    func legalForms() {
        #expect(names("Lam Research Corp. cut its forecast.") == ["Lam Research Corporation"])
        #expect(names("Applied Materials Inc. said so.") == ["Applied Materials, Inc."])
        #expect(names("Applied Materials said so.") == ["Applied Materials, Inc."])
    }

    @Test("ALL-CAPS headlines match case-insensitively, all-caps aliases need capitals")
    func caps() {
        #expect(names("CHINA BARS MICRON CHIPS FROM CRITICAL NETWORKS") == ["Micron Technology, Inc."])
        #expect(names("Tokyo Electron, or TEL, said so.") == ["Tokyo Electron Limited"])
        #expect(names("It lies south of Tel Aviv.").isEmpty)
    }

    @Test("possessives, diacritics and NBSP")
    func possessivesAndDiacritics() {
        #expect(names("Micron’s shares fell.") == ["Micron Technology, Inc."])
        #expect(names("Micron's shares fell.") == ["Micron Technology, Inc."])
        #expect(names("Electricite de France said so.") == ["Électricité de France SA"])
        #expect(names("Lam\u{00A0}Research said so.") == ["Lam Research Corporation"])
    }

    @Test("the catalogue's not phrases exclude a name")
    func notPhrases() {
        #expect(names("Police closed the City Block downtown.").isEmpty)
        #expect(names("Square said so.") == ["Block, Inc."])
    }

    @Test("other things with a catalogued word in their name", arguments: [
        "Sanctions hit Kunlun Shipping Company and Kunlun Holding Company.",
        "Radars for the Gerald R. Ford carriers.",
        "Distilled models run on consumer GeForce RTX graphics cards.",
        "Models trained on Baidu's Kunlun chips.",
        "Westinghouse Air Brake Technologies, better known as Wabtec.",
    ])
    func otherThings(_ text: String) {
        #expect(names(text).isEmpty)
    }

    @Test("units whose name holds a catalogue term are that vendor")
    func units() {
        #expect(names("COSCO Shipping Tanker (Dalian) was named.") == ["China COSCO Shipping Corporation Limited"])
        #expect(names("Raytheon Missiles & Defense was listed.") == ["RTX Corporation"])
        #expect(names("Beijing Kunlun Tech owns the app.") == ["Beijing Kunlun Tech Co., Ltd."])
    }

    @Test("matching cost does not depend on the catalogue: one automaton, whole words")
    func largeCatalogue() throws {
        var rows = ["name,aliases"]
        for i in 0..<5000 { rows.append("Vendor\(i) Systems Inc,V\(i)X") }
        rows.append("Micron Technology Inc,Micron")
        let cat = try Catalogue.parse(rows.joined(separator: "\n"), source: "big.csv")
        let m = VendorMatcher(catalogue: cat)
        let found = m.mentions(in: "Vendor42 Systems and Micron agreed; V7X too.").map { cat.vendors[$0.vendor].name }
        #expect(found == ["Vendor42 Systems Inc", "Micron Technology Inc", "Vendor7 Systems Inc"])
    }

    /// The byte count behind the all-caps test must give the token count's answer: on headlines
    /// in capitals and not, with accented capitals, curly quotes, Greek, CJK, numbers and marks.
    @Test("all-caps test on the text equals the test on its tokens")
    func allCapsOnBytes() {
        let pieces = ["NVIDIA", "WINS", "Contract", "über", "ÜBER", "ZÜRICH", "Zürich", "\u{201C}DEAL\u{201D}", "—",
                      "1.5", "3,000", "ΑΘΗΝΑ", "αθηνα", "東京", "Ǆ", "ǅ", "e\u{301}", "Ⅻ", "ⓐ", "Ⓐ", "(MU)", "$TSM", "R&D",
                      "ＦＵＬＬ", "a", "I", "OK", ";", " ", "  ", "\u{00A0}", "'s", "CO., LTD."]
        var state: UInt64 = 11
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var texts = ["CHIPMAKER FAILS SECURITY REVIEW", "Chipmaker fails security review", "ZÜRICH ÉLECTRICITÉ WINS"]
        for _ in 0..<3000 {
            texts.append((0..<(1 + next(14))).map { _ in pieces[next(pieces.count)] }.joined(separator: next(4) == 0 ? "" : " "))
        }
        var capitals = 0
        for t in texts {
            let byTokens = VendorMatcher.isAllCapsText(Tokenizer.tokenize(t))
            if byTokens { capitals += 1 }
            #expect(VendorMatcher.isAllCapsText(text: t) == byTokens, "\(t)")
        }
        #expect(capitals > 100 && capitals < texts.count - 100)  // both answers are tested
    }
}
