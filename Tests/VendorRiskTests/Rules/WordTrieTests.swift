import Testing
@testable import VendorRisk

/// The word trie must answer as the hash table and the prefix trie it replaces in the item scan:
/// the id of a folded word, else the payload of the deepest prefix it starts with.
@Suite("Word trie")
struct WordTrieTests {
    /// A deterministic generator, so a failure names a reproducible case.
    struct LCG {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let letters = Array("abcdeilnorstu019.,AZé-".utf8)

    static func randomWord(_ rng: inout LCG, maxLength: Int) -> [UInt8] {
        (0..<(1 + rng.next(maxLength))).map { _ in letters[rng.next(letters.count)] }
    }

    /// `count` distinct random words, valued `firstValue`, `firstValue + 1`, ... in order made.
    static func randomEntries(_ rng: inout LCG, count: Int, maxLength: Int, firstValue: Int32) -> [[UInt8]: Int32] {
        var entries: [[UInt8]: Int32] = [:]
        while entries.count < count { entries[randomWord(&rng, maxLength: maxLength)] = firstValue + Int32(entries.count) }
        return entries
    }

    /// A trie of random words (ids from 0) and prefixes of up to three bytes (payloads from 1).
    static func randomTrie(_ rng: inout LCG, words: Int, wordLength: Int, prefixes: Int) -> WordTrie {
        let words = randomEntries(&rng, count: words, maxLength: wordLength, firstValue: 0)
        let prefixes = randomEntries(&rng, count: prefixes, maxLength: 3, firstValue: 1)
        return WordTrie(words: words.map { ($0.key, $0.value) }, prefixes: prefixes.map { ($0.key, $0.value) })
    }

    static func folded(_ w: [UInt8]) -> [UInt8] { w.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 } }

    @Test("Ids and deepest prefixes agree with a direct search", arguments: [1, 2, 3, 4])
    func agreesWithReference(seed: Int) {
        var rng = LCG(state: UInt64(seed))
        let words = Self.randomEntries(&rng, count: 400, maxLength: 7, firstValue: 0)
        var prefixes = Self.randomEntries(&rng, count: 60, maxLength: 4, firstValue: 1)
        if seed == 4 { prefixes[[]] = 99 }  // a prefix every word starts with
        let trie = WordTrie(words: words.map { ($0.key, $0.value) }, prefixes: prefixes.map { ($0.key, $0.value) })

        var queries = Array(words.keys) + Array(prefixes.keys)
        for _ in 0..<3000 { queries.append(Self.randomWord(&rng, maxLength: 9)) }
        for w in Array(words.keys) { queries.append(w + [UInt8(ascii: "s")]); queries.append(Array(w.dropLast())) }
        for q in queries {
            let key = Self.folded(q)
            // Entries with a byte outside the alphabet are never met: scanned ASCII words hold none.
            let inAlphabet = { (w: [UInt8]) in w.allSatisfy(WordTrie.alphabet.contains) }
            let expectedID = inAlphabet(key) ? words[key] : nil
            let expectedPrefix = (0...key.count).reversed().lazy
                .compactMap { n in inAlphabet(Array(key.prefix(n))) ? prefixes[Array(key.prefix(n))] : nil }.first ?? 0
            let walk = trie.walk(q)
            #expect(trie.wordID(walk) == expectedID, "word \(String(decoding: q, as: UTF8.self))")
            #expect(trie.prefixPayload(walk) == expectedPrefix, "prefix of \(String(decoding: q, as: UTF8.self))")
            // A folded word: the same answers, or none when a byte is outside the alphabet.
            let folded = q.withUnsafeBufferPointer { trie.walkFolded($0) }
            if inAlphabet(q) {
                #expect(folded.map(trie.wordID) == expectedID, "folded word \(String(decoding: q, as: UTF8.self))")
                #expect(folded.map(trie.prefixPayload) == expectedPrefix, "folded prefix of \(String(decoding: q, as: UTF8.self))")
            } else {
                #expect(folded == nil, "\(String(decoding: q, as: UTF8.self)) has a byte outside the alphabet")
            }
        }
    }

    @Test("Walking the word bytes of random texts equals walking each word", arguments: [5, 6, 7])
    func walksWordBytesAsWords(seed: Int) {
        var rng = LCG(state: UInt64(seed))
        let trie = Self.randomTrie(&rng, words: 300, wordLength: 5, prefixes: 40)
        let bytes = Array("abcdeilnorstuABZ019 -é.".utf8)
        for _ in 0..<400 {
            let text = (0..<rng.next(30)).map { _ in bytes[rng.next(bytes.count)] }
            text.withUnsafeBufferPointer { p in
                var i = 0
                while i < p.count {
                    guard WordTrie.column(of: p[i]) != nil, p[i] != 0x2E, p[i] != 0x2C else { i += 1; continue }
                    var walk = WordTrie.Walk()
                    let end = trie.walkWordBytes(p, from: i, &walk)
                    let word = Array(p[i..<end])
                    #expect(word.allSatisfy { WordTrie.column(of: $0) != nil && $0 != 0x2E && $0 != 0x2C } && !word.isEmpty)
                    #expect(end == p.count || WordTrie.column(of: p[end]) == nil || p[end] == 0x2E || p[end] == 0x2C)
                    #expect(walk == trie.walk(word), "\(String(decoding: word, as: UTF8.self))")
                    i = end
                }
            }
        }
    }

    @Test("Word bytes are classified eight at a time exactly as one at a time")
    func classifiesWordBytes() {
        let isWord = { (b: UInt8) in (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        for b in 0...255 {
            for position in 0..<8 {
                // The byte among neighbours of every kind: no carry or borrow may reach them.
                for filler: UInt8 in [0x00, 0x20, 0x39, 0x5A, 0x7F, 0x80, 0xFF] {
                    var x = UInt64(filler) &* 0x0101_0101_0101_0101
                    x &= ~(0xFF << UInt64(position * 8))
                    x |= UInt64(b) << UInt64(position * 8)
                    let mask = WordTrie.wordBytes(x)
                    for k in 0..<8 {
                        let byte = UInt8(truncatingIfNeeded: x >> UInt64(k * 8))
                        #expect((mask >> UInt64(k * 8)) & 0xFF == (isWord(byte) ? 0x80 : 0), "byte \(byte) at \(k)")
                    }
                }
            }
        }
        let text = Array("Acme9 x ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 20) + [0xC3, 0xA9]
        text.withUnsafeBufferPointer { p in
            #expect(WordTrie.wordEnd(p, from: 0) == 5)
            #expect(WordTrie.wordEnd(p, from: 6) == 7)
            #expect(WordTrie.wordEnd(p, from: 8) == 28)
        }
    }

    @Test("Skimming takes the words and rows that walking word by word gives, and stops where it must", arguments: [8, 9])
    func skimsWords(seed: Int) {
        var rng = LCG(state: UInt64(seed))
        let trie = Self.randomTrie(&rng, words: 200, wordLength: 4, prefixes: 30)
        // Per word id: a row to take it with, or -1 (stop there); about a third stop.
        let takenRow = (0..<200).map { _ in rng.next(3) == 0 ? Int32(-1) : Int32(rng.next(4)) }
        let skimRows = trie.skimRows(takenRow: takenRow)
        let bytes = Array("abcdeilnorstuABZ019     -é.,,".utf8)
        for _ in 0..<600 {
            let text = (0..<(1 + rng.next(40))).map { _ in bytes[rng.next(bytes.count)] }
            text.withUnsafeBufferPointer { p in
                for start in p.indices where WordTrie.wordEnd(p, from: start) > start
                    && (start == 0 || WordTrie.wordEnd(p, from: start - 1) == start - 1) {
                    for room in [1, 3, 64] {
                        var rows = [Int32](repeating: -9, count: room)
                        let skim = skimRows.withUnsafeBufferPointer { table in
                            rows.withUnsafeMutableBufferPointer { trie.skimWords(p, from: start, rows: table.baseAddress!, into: $0) }
                        }
                        // The reference: word by word, each walked from the root.
                        var i = start
                        var expectedRows: [Int32] = []
                        var expected = WordTrie.Skim(start: i, end: i)
                        while expectedRows.count < room {
                            var walk = WordTrie.Walk()
                            let end = trie.walkWordBytes(p, from: i, &walk)
                            let row = trie.wordID(walk).map { takenRow[Int($0)] } ?? trie.prefixPayload(walk)
                            let space = end < p.count && p[end] == 0x20 ? 1
                                : end + 1 < p.count && p[end] == 0x2C && p[end + 1] == 0x20 ? 2 : 0
                            guard row >= 0, space > 0 else { expected = WordTrie.Skim(start: i, end: end, walk: walk); break }
                            expectedRows.append(row)
                            i = end + space
                            expected = WordTrie.Skim(start: i, end: i)
                            if WordTrie.wordEnd(p, from: i) == i { break }
                        }
                        let context = "\(String(decoding: text, as: UTF8.self)) from \(start), room \(room)"
                        #expect(skim.words == expectedRows.count && Array(rows.prefix(skim.words)) == expectedRows, "\(context)")
                        #expect(skim.start == expected.start && skim.end == expected.end, "\(context)")
                        if expected.end > expected.start { #expect(skim.walk == expected.walk, "\(context)") }
                    }
                }
            }
        }
    }

    @Test("Walking a text's word bytes stops at the word's end and equals walking the word")
    func walksWordBytes() {
        let trie = WordTrie(words: [(Array("acme".utf8), 0), (Array("ac".utf8), 1)], prefixes: [(Array("acm".utf8), 7)])
        let text = Array("ACME, Acmeville and ac.".utf8)
        text.withUnsafeBufferPointer { p in
            var walk = WordTrie.Walk()
            #expect(trie.walkWordBytes(p, from: 0, &walk) == 4)
            #expect(trie.wordID(walk) == 0)
            walk = WordTrie.Walk()
            #expect(trie.walkWordBytes(p, from: 6, &walk) == 15)
            #expect(trie.wordID(walk) == nil && !walk.alive && trie.prefixPayload(walk) == 7)
            walk = WordTrie.Walk()
            #expect(trie.walkWordBytes(p, from: 20, &walk) == 22)
            #expect(trie.wordID(walk) == 1 && trie.prefixPayload(walk) == 0)
        }
    }
}
