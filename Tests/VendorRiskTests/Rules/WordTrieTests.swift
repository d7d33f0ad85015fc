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
        let words = Self.randomEntries(&rng, count: 300, maxLength: 5, firstValue: 0)
        let prefixes = Self.randomEntries(&rng, count: 40, maxLength: 3, firstValue: 1)
        let trie = WordTrie(words: words.map { ($0.key, $0.value) }, prefixes: prefixes.map { ($0.key, $0.value) })
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
