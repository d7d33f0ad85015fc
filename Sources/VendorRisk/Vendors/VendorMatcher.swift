import Foundation

/// Finds catalogued vendors in text with one Aho–Corasick automaton over case-folded words, so the
/// cost per word does not grow with the number of vendors. Word boundaries come free (the automaton
/// runs over whole words); capitalisation and context are checked on each hit.
///
/// A class (its tables never change once built): the workers share one, and each analysed item
/// took a copy of a struct of its dozen tables (a retain of each).
public final class VendorMatcher: Sendable {
    public let catalogue: Catalogue
    private let patterns: [Pattern]
    /// Per pattern, its number of words: read per automaton output, where reading the pattern's
    /// word list meant a cache miss and a retain and release of the list.
    private let patternLengths: [Int32]
    // Internal, not private: the analyzer's item scan (ItemScanner) runs the same automaton.
    let vocabulary: [String: Int32]
    /// The vocabulary's words as a byte table, and each table id's vocabulary id.
    private let vocabularyTable: WordTable
    private let vocabularyByTableID: [Int32]
    let automaton: Automaton
    let tickers: [String: Int]
    private let exclusions: [Int: [[String]]]
    /// The words of each vendor's name and aliases.
    private let ownWords: [Set<String>]

    /// A class: a hit's pattern was copied out of the table both workers share (a retain of each
    /// of its form's strings and arrays).
    final class Pattern: Sendable {
        let vendor: Int32
        let form: NameForm

        init(vendor: Int32, form: NameForm) {
            self.vendor = vendor
            self.form = form
        }
    }

    public init(catalogue: Catalogue) {
        self.catalogue = catalogue
        // What each vendor's names give on their own (most of the build: every name is tokenised
        // a few times over), worked out on every core; then put together in catalogue order.
        let perVendor = catalogue.vendors.concurrentMap { v in
            (folded: ([v.name] + v.aliases).map(NameForms.fold), forms: NameForms.forms(for: v),
             ownWords: Set(([v.name] + v.aliases).flatMap(NameForms.words(of:))), exclusions: v.exclusions.map(NameForms.words(of:)))
        }
        var explicit: [String: Int] = [:]
        for (i, v) in perVendor.enumerated() {
            for f in v.folded { explicit[f] = i }
        }
        var derivedOwners: [String: Int] = [:]
        var all: [(Int, NameForm)] = []
        var tickers: [String: Int] = [:]
        var exclusions: [Int: [[String]]] = [:]
        for (i, v) in perVendor.enumerated() {
            for form in v.forms {
                if form.kind == .ticker { tickers[form.text.uppercased()] = i; continue }
                let key = form.words.joined(separator: " ")
                if form.kind == .derived {
                    if let owner = explicit[key], owner != i { continue }
                    if let other = derivedOwners[key], other != i { derivedOwners[key] = -1; continue }
                    derivedOwners[key] = i
                }
                all.append((i, form))
            }
            if !v.exclusions.isEmpty { exclusions[i] = v.exclusions }
        }
        // A derived form two vendors share names neither of them.
        all.removeAll { $0.1.kind == .derived && derivedOwners[$0.1.words.joined(separator: " ")] == -1 }

        var vocabulary: [String: Int32] = [:]
        var sequences: [[Int32]] = []
        sequences.reserveCapacity(all.count)
        for (_, form) in all {
            sequences.append(form.words.map { w in
                if let id = vocabulary[w] { return id }
                let id = Int32(vocabulary.count + 1)
                vocabulary[w] = id
                return id
            })
        }
        self.vocabulary = vocabulary
        var table = WordTable(capacity: vocabulary.count)
        var byTableID: [Int32] = []
        for (w, id) in vocabulary.sorted(by: { $0.value < $1.value }) {
            precondition(Int(table.insert(w)) == byTableID.count)
            byTableID.append(id)
        }
        vocabularyTable = table
        vocabularyByTableID = byTableID
        self.patterns = all.map { Pattern(vendor: Int32($0.0), form: $0.1) }
        self.patternLengths = all.map { Int32($0.1.words.count) }
        self.automaton = Automaton(sequences)
        self.tickers = tickers
        self.exclusions = exclusions
        self.ownWords = perVendor.map(\.ownWords)
    }

    /// Vendor mentions in already tokenised text, leftmost-longest, overlaps removed.
    public func mentions(in tokens: [Token]) -> [Mention] {
        mentions(in: tokens, allCaps: Self.isAllCapsText(tokens))
    }

    /// The same for `tokens`, the tokens of `text`.
    func mentions(in tokens: [Token], of text: String) -> [Mention] {
        mentions(in: tokens, allCaps: Self.isAllCapsText(text: text))
    }

    /// The same, with `allCaps` for the line the tokens are in (`isAllCapsText`).
    func mentions(in tokens: [Token], allCaps: Bool) -> [Mention] {
        var hits: [(start: Int, end: Int, pattern: Int32)] = []
        var state: Int32 = 0
        var wordIndex: [Int] = []  // position in `tokens` of each word fed to the automaton
        wordIndex.reserveCapacity(tokens.count)
        // Tokens read in place: a token bound from the array was a retain of its text and folded form.
        for ti in tokens.indices {
            if tokens[ti].kind == .punct {
                if tokens[ti].folded != "," { state = 0 }
                continue
            }
            wordIndex.append(ti)
            let id = vocabularyID(tokens[ti].folded)
            state = automaton.step(state, id)
            if state != 0 {
                automaton.forEachOutput(state) { p in
                    let len = Int(patternLengths[Int(p)])
                    let firstWord = wordIndex.count - len
                    hits.append((wordIndex[firstWord], ti + 1, p))
                }
            }
        }
        var out: [Mention] = []
        if !hits.isEmpty {
            hits.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
            var taken = 0
            for h in hits where h.start >= taken {
                let p = patterns[Int(h.pattern)]
                guard accept(p, tokens, h.start..<h.end, allCaps: allCaps) else { continue }
                out.append(Mention(vendor: Int(p.vendor), form: p.form.text, tokens: h.start..<h.end,
                                   start: tokens[h.start].start, end: tokens[h.end - 1].end))
                taken = h.end
            }
        }
        if !tickers.isEmpty { out.append(contentsOf: tickerMentions(tokens)) }
        return out
    }

    public func mentions(in text: String) -> [Mention] { mentions(in: Tokenizer.tokenize(text), of: text) }

    /// Per pattern of `automaton`: the vendor it names.
    var patternVendors: [Int32] { patterns.map(\.vendor) }

    /// The vendors with exclusion phrases (the catalogue's `not` column).
    var vendorsWithExclusions: Set<Int> { Set(exclusions.keys) }

    /// `vocabulary[word] ?? 0`, through the byte table for ASCII words (no string hashing); words
    /// with other letters keep Swift string equality.
    @inline(__always) private func vocabularyID(_ word: String) -> Int32 {
        // The bytes read where they are (a copy of the string to call `withUTF8` on was a retain
        // and a release per token).
        let byBytes: Int32??? = word.utf8.withContiguousStorageIfAvailable { b in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            return .some(vocabularyTable.lookup(b).map { vocabularyByTableID[Int($0)] })
        }
        if let read = byBytes, let known = read { return known ?? 0 }
        return vocabulary[word] ?? 0
    }

    /// `isAllCapsText(Tokenizer.tokenize(text))`, counted on its UTF-8 bytes in one pass:
    /// the letters of the word tokens are the letters of the word scalars of the text (a word token
    /// is a run of word scalars, with at most a decimal point or comma inside a number).
    static func isAllCapsText(text: String) -> Bool {
        var text = text
        return text.withUTF8 { isAllCapsText(utf8: $0) }
    }

    /// The same on a text's UTF-8 bytes.
    static func isAllCapsText(utf8 p: UnsafeBufferPointer<UInt8>) -> Bool {
        // A capital is at least a byte: once the small ASCII letters alone are a tenth of the
        // bytes, they are a tenth of the capitals, and prose gets there within a few words.
        var small = 0
        for b in p where b &- 97 < 26 {
            small += 1
            if small * 10 >= p.count { return false }
        }
        var high: UInt8 = 0
        for b in p { high |= b }
        var upper = 0, lower = 0
        if high < 0x80 {
            // No early exit: the compiler vectorises the count.
            for b in p {
                upper &+= b &- 65 < 26 ? 1 : 0
                lower &+= b &- 97 < 26 ? 1 : 0
            }
        } else {
            let classes = ScalarClass.table
            var i = 0
            while i < p.count {
                let (v, length) = ScalarClass.decode(p, at: i)
                i += length
                if v < 0x80 {
                    if v &- 65 < 26 { upper += 1 } else if v &- 97 < 26 { lower += 1 }
                    continue
                }
                let props = Unicode.Scalar(v)!.properties
                let isWord = Int(v) < classes.count ? classes[Int(v)] & ScalarClass.word != 0
                    : props.isAlphabetic || props.numericType != nil || props.generalCategory == .nonspacingMark
                guard isWord else { continue }
                if props.isUppercase { upper += 1 } else if props.isLowercase { lower += 1 }
            }
        }
        return upper > 8 && lower * 10 < upper
    }

    /// A line written in capitals (a wire headline) says nothing through its case.
    static func isAllCapsText(_ tokens: [Token]) -> Bool {
        var upper = 0, lower = 0
        for i in tokens.indices where tokens[i].kind == .word {
            let text = tokens[i].text
            // One pass over an ASCII word's bytes; a word with another byte is counted by scalars.
            var u = 0, l = 0, ascii = true
            for b in text.utf8 {
                if b &- 65 < 26 { u += 1 } else if b &- 97 < 26 { l += 1 } else if b >= 0x80 { ascii = false; break }
            }
            if ascii {
                upper += u
                lower += l
                continue
            }
            for u in text.unicodeScalars {
                if u.isASCII {
                    if u.value >= 65 && u.value <= 90 { upper += 1 } else if u.value >= 97 && u.value <= 122 { lower += 1 }
                } else if u.properties.isUppercase { upper += 1 } else if u.properties.isLowercase { lower += 1 }
            }
        }
        return upper > 8 && lower * 10 < upper
    }

    /// Words that end a company name: a capitalised run ending in one names another company
    /// ("Kunlun Shipping Company" is not "Kunlun").
    static let designators: Set<String> = [
        "group", "holding", "holdings", "technologies", "technology", "industries", "bank", "university",
        "institute", "partners", "shipping", "systems", "motors", "airlines", "energy", "capital",
    ]
    /// Capitalised words that may stand between a name and a company word without making it another
    /// company ("Hanwha Ocean USA International LLC").
    static let neutralWords: Set<String> = ["usa", "us", "america", "americas", "international", "global",
                                            "europe", "uk", "china", "japan", "korea", "and", "&"]
    /// Product nouns: "Baidu's Kunlun chips", "GeForce RTX graphics cards" name another maker's line.
    static let productWords: Set<String> = ["chip", "chips", "card", "cards", "graphics", "processor", "processors",
                                            "accelerator", "accelerators", "phone", "phones", "series", "range",
                                            "mountains", "engine", "engines", "model", "models", "brand", "line"]
    static let honorifics: Set<String> = ["mr", "mrs", "ms", "dr", "sir", "lady", "lord", "governor", "senator"]

    private func accept(_ p: Pattern, _ tokens: [Token], _ r: Range<Int>, allCaps: Bool) -> Bool {
        let form = p.form
        var wi = 0
        for i in r where tokens[i].kind == .word {
            let t = tokens[i]
            switch form.caseRule {
            case .capitalsOnly:
                if !t.isAllCaps && !t.text.allSatisfy(\.isNumber) { return false }
            case .capitalised:
                if !allCaps, wi < form.capitalised.count, form.capitalised[wi], !t.isCapitalised { return false }
            }
            wi += 1
        }
        if let ex = exclusions[Int(p.vendor)], Self.inside(ex, tokens, r) { return false }
        guard form.words.count == 1, !allCaps else { return true }
        // Single words are where ordinary words and other things' names live.
        let i = r.lowerBound
        if i >= 2, tokens[i - 1].folded == ".", tokens[i - 2].kind == .word, tokens[i - 2].text.count == 1,
           tokens[i - 2].isCapitalised { return false }  // "Gerald R. Ford"
        if i >= 1, Self.honorifics.contains(tokens[i - 1].folded) { return false }
        // "Kunlun Shipping Company", "Kunlun Holding Company": a capitalised run after the name that
        // brings its own company words names another company. Legal forms alone ("Nvidia Corp") and
        // words of the vendor's own name ("Boeing Company") do not.
        var j = r.upperBound
        var other = false
        let own = ownWords[Int(p.vendor)]
        while j < tokens.count, tokens[j].kind == .word, tokens[j].isCapitalised || tokens[j].folded == "&" {
            let w = tokens[j].folded
            if Self.designators.contains(w), !own.contains(w) { return false }
            if NameForms.legalForms.contains(w) || Self.designators.contains(w) {
                if other { return false }
            } else if !Self.neutralWords.contains(w), !own.contains(w) {
                other = true
            }
            j += 1
        }
        // "Baidu's Kunlun chips", "GeForce RTX graphics cards".
        if r.upperBound < tokens.count, Self.productWords.contains(tokens[r.upperBound].folded), i >= 1 {
            let prev = tokens[i - 1]
            let sentenceStart = i < 2 || [".", "!", "?", ":"].contains(tokens[i - 2].folded)
            if prev.kind == .word, prev.isCapitalised, !sentenceStart { return false }
            if prev.kind == .word, prev.folded == "s", i >= 2, tokens[i - 2].isCapitalised { return false }
        }
        return true
    }

    /// True when the hit lies inside one of the vendor's `not` phrases.
    private static func inside(_ phrases: [[String]], _ tokens: [Token], _ r: Range<Int>) -> Bool {
        let words = tokens.indices.filter { tokens[$0].kind == .word }
        guard let first = words.firstIndex(of: r.lowerBound) else { return false }
        for phrase in phrases where !phrase.isEmpty {
            let lo = max(0, first - phrase.count + 1)
            for s in lo...first where s + phrase.count <= words.count {
                if (0..<phrase.count).allSatisfy({ tokens[words[s + $0]].folded == phrase[$0] }),
                   words[s + phrase.count - 1] >= r.upperBound - 1 { return true }
            }
        }
        return false
    }

    /// Tickers count only where written as tickers: "(MU)", "$MU", "NASDAQ: MU".
    private func tickerMentions(_ tokens: [Token]) -> [Mention] {
        var out: [Mention] = []
        for i in tokens.indices where i >= 1 && tokens[i].kind == .word {
            // Every ticker context has one of these marks just before it: tested before the word.
            switch tokens[i - 1].folded {
            case "(", "$", ":": break
            default: continue
            }
            let t = tokens[i]
            guard t.isAllCaps, let v = tickers[String(t.text)] else { continue }
            var context = false
            if i >= 1, i + 1 < tokens.count, tokens[i - 1].folded == "(", tokens[i + 1].folded == ")" { context = true }
            if i >= 1, tokens[i - 1].folded == "$", tokens[i - 1].end == t.start { context = true }
            if i >= 2, tokens[i - 1].folded == ":",
               ["nasdaq", "nyse", "lse", "hkex", "tse", "sse", "szse", "euronext", "asx", "tsx", "krx", "xetra", "otc", "amex"]
                .contains(tokens[i - 2].folded) { context = true }
            if context {
                out.append(Mention(vendor: v, form: String(t.text), tokens: i..<(i + 1), start: t.start, end: t.end))
            }
        }
        return out
    }
}

/// Aho–Corasick automaton over word ids. Transitions live in one hash table keyed by
/// (state, word); word 0 (not in any name) always leads back to the root.
struct Automaton: Sendable {
    /// Transitions for `step`, which runs once per word of every item: a flat open-addressing table
    /// with a multiplicative hash, because `Dictionary`'s seeded SipHash dominated the step's cost.
    private var gotoKeys: [UInt64] = []
    private var gotoValues: [Int32] = []
    private var gotoShift: UInt64 = 63
    private var fail: [Int32] = [0]
    private var output: [Int32] = [-1]      // pattern ending exactly here, or -1
    private var outputLink: [Int32] = [0]   // next state on the fail chain with an output

    /// Never a real key: states and word ids are non-negative `Int32`s.
    private static let emptyKey = UInt64.max

    init(_ sequences: [[Int32]]) {
        var goto: [UInt64: Int32] = [:]
        goto.reserveCapacity(sequences.reduce(0) { $0 + $1.count })
        var children: [[Int32]] = [[]]
        for (p, seq) in sequences.enumerated() {
            var s: Int32 = 0
            for w in seq {
                let key = Self.key(s, w)
                if let n = goto[key] { s = n; continue }
                let n = Int32(fail.count)
                fail.append(0); output.append(-1); outputLink.append(0); children.append([])
                goto[key] = n
                children[Int(s)].append(n)
                s = n
            }
            if output[Int(s)] == -1 { output[Int(s)] = Int32(p) }
        }
        // Breadth-first failure links. The word leading into each state is recovered from the trie.
        var word = [Int32](repeating: 0, count: fail.count)
        for (k, v) in goto { word[Int(v)] = Int32(truncatingIfNeeded: k & 0xFFFF_FFFF) }
        var queue: [Int32] = children[0]
        var head = 0
        while head < queue.count {
            let s = queue[head]; head += 1
            for c in children[Int(s)] {
                let w = word[Int(c)]
                var f = fail[Int(s)]
                var target: Int32 = 0
                while true {
                    if let n = goto[Self.key(f, w)], n != c { target = n; break }
                    if f == 0 { break }
                    f = fail[Int(f)]
                }
                fail[Int(c)] = target
                outputLink[Int(c)] = output[Int(target)] >= 0 ? target : outputLink[Int(target)]
                queue.append(c)
            }
        }
        // At most half full, so probes stay short.
        var bits: UInt64 = 4
        while (1 << bits) < max(16, goto.count * 2) { bits += 1 }
        gotoShift = 64 - bits
        gotoKeys = [UInt64](repeating: Self.emptyKey, count: 1 << bits)
        gotoValues = [Int32](repeating: 0, count: 1 << bits)
        let mask = (1 << Int(bits)) - 1
        for (k, v) in goto {
            var i = Self.slot(k, gotoShift)
            while gotoKeys[i] != Self.emptyKey { i = (i + 1) & mask }
            gotoKeys[i] = k
            gotoValues[i] = v
        }
    }

    @inline(__always) private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The transition from state `s` on `word`, if the trie has one.
    @inline(__always) private func next(_ s: Int32, _ word: Int32) -> Int32? {
        let key = Self.key(s, word)
        return gotoKeys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var i = Self.slot(key, gotoShift)
            while true {
                let k = keys[i]
                if k == key { return gotoValues[i] }
                if k == Self.emptyKey { return nil }
                i = (i + 1) & mask
            }
        }
    }

    @inline(__always) static func key(_ s: Int32, _ w: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: s)) << 32 | UInt64(UInt32(bitPattern: w))
    }

    @inline(__always) func step(_ state: Int32, _ word: Int32) -> Int32 {
        if word == 0 { return 0 }
        var s = state
        while true {
            if let n = next(s, word) { return n }
            if s == 0 { return 0 }
            s = fail[Int(s)]
        }
    }

    /// Whether some name ends at `state` (forEachOutput would report at least one pattern).
    @inline(__always) func hasOutput(_ state: Int32) -> Bool {
        output[Int(state)] >= 0 || outputLink[Int(state)] != 0
    }

    func forEachOutput(_ state: Int32, _ body: (Int32) -> Void) {
        var s = state
        if output[Int(s)] >= 0 { body(output[Int(s)]) }
        s = outputLink[Int(s)]
        while s != 0 {
            body(output[Int(s)])
            s = outputLink[Int(s)]
        }
    }
}
