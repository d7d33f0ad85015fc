/// A quick pass over an item's text, on its UTF-8 bytes, that tells whether anything can come of
/// it: whether a vendor can be named (the name automaton reaches a name's end, or a ticker-like
/// word appears) and whether a cue can match (a block holds, for every word position of some cue,
/// a word that position accepts). Most items name no vendor, and most blocks can hold no cue; the
/// analyzer then skips the sentence model and the rules, which cost a hundred times more.
///
/// Both answers are necessary conditions only: "maybe" sends the item down the full path, so the
/// results are exactly those of the full path. That holds because the scan splits words exactly
/// as `Tokenizer` does (same word scalars, same decimal rule, same kept punctuation), feeds the
/// same automaton the same word ids with the same resets, and tests cue words with the same
/// equality (bytes for ASCII words, Swift string equality otherwise; prefixes by UTF-8 bytes).
///
/// A class: the scan's closures captured a struct of a dozen arrays by copy, a retain and a
/// release per array on every call.
final class ItemScanner: Sendable {
    struct Result {
        var mayMention = false
        var mayCue = false
        /// With `lines`: the UTF-8 offsets where the lines that may name a vendor start, ascending,
        /// so the analyzer tokenises those lines without scanning each again.
        var mentionLines: [Int] = []
        /// With `vendors`: every vendor a name or ticker the scan found may belong to (with
        /// repeats); the matcher names no other.
        var vendors: [Int] = []
        /// With `lines`: where the matcher is to look, in order: the sentences that may name a
        /// vendor, cut at plain sentence ends (as `SentenceSplitter` cuts them), or the whole line
        /// when a name there has exclusion phrases (they are words, and reach across sentences).
        var mentionSpans: [MentionSpan] = []
    }

    /// UTF-8 byte ranges of the scanned text: a span to tokenise and the line it is in (a line
    /// in capitals is read case-insensitively as a whole).
    struct MentionSpan: Equatable {
        var bytes: Range<Int>
        var line: Range<Int>
    }

    /// `ScalarClass.table`, held here so the scan loop does not go through its lazy initialiser.
    private let classes: [UInt8] = ScalarClass.table

    private let table: WordTable
    /// The same ids as `table`, for words with non-ASCII letters: Swift string equality.
    private let nonASCII: [String: Int32]
    /// Per word id: the name automaton's word id (0: in no name).
    private let vendorWord: [Int32]
    /// Per word id: the lower-case form of a ticker.
    private let tickerForm: [Bool]
    /// Per word id: an abbreviation that a full stop does not end a sentence after.
    private let abbreviation: [Bool]
    /// Per word id, and per prefix-trie node for words not in the table: a row of `rows`.
    private let wordRow: [Int32]
    /// The word trie's skim rows (`WordTrie.skimRows`, per trie node where a word's walk ends): a
    /// word's row when the word is in no name and no ticker (the skim takes it as the scan would),
    /// else -1. Memory of its own, like the cue tables below: a scan passes its address.
    nonisolated(unsafe) private let skimTable: UnsafeMutableBufferPointer<Int32>
    /// The same for a scan for names only: 0 for every word in no name and no ticker.
    nonisolated(unsafe) private let nameSkimTable: UnsafeMutableBufferPointer<Int32>
    private let trie: PrefixTrie
    private let nodeRow: [Int32]
    /// The ASCII words of `table` (payload: id) and the prefixes of `trie` (payload: row) in one
    /// automaton, for the scan's ASCII words.
    private let wordTrie: WordTrie
    // The cue tables are read per block of every item: held in memory of their own (written once
    // by `init`, freed by `deinit`), they are read without the retain and release of an array's
    // storage that each `withUnsafeBufferPointer` on a property cost.
    /// Sets of cue requirements that a word meets, `width` words each; row 0 is empty.
    nonisolated(unsafe) private let rows: UnsafeMutableBufferPointer<UInt64>
    private let width: Int
    /// The shapes' steps end to end; shape `s` has `shapeSteps[shapeStepStart[s]..<shapeStepStart[s + 1]]`.
    nonisolated(unsafe) private let shapeSteps: UnsafeMutableBufferPointer<CueShape.Step>
    nonisolated(unsafe) private let shapeStepStart: UnsafeMutableBufferPointer<Int32>
    /// The shapes' masks end to end, `width` words each: the first test of every shape, read
    /// without copying the shape.
    nonisolated(unsafe) private let shapeMasks: UnsafeMutableBufferPointer<UInt64>
    /// The shapes listed under one requirement bit of each (the highest): a block is tested only
    /// against the shapes listed under the bits it has, instead of against all of them. Shapes
    /// with no bit are always tested. `byBitStart[b]..<byBitStart[b + 1]` indexes `byBit`.
    nonisolated(unsafe) private let byBitStart: UnsafeMutableBufferPointer<Int32>
    nonisolated(unsafe) private let byBit: UnsafeMutableBufferPointer<Int32>
    nonisolated(unsafe) private let unindexed: UnsafeMutableBufferPointer<Int32>
    /// The row with every requirement.
    private let allRow: Int32
    private let automaton: Automaton
    private let tickers: [String: Int]
    /// Per automaton pattern: its vendor, and whether the vendor has exclusion phrases.
    private let patternVendor: [Int32]
    private let patternExcludes: [Bool]
    private let ampersandID: Int32?
    private let ampersandRow: Int32

    /// What a word position of a cue accepts, reduced to the first word of each alternative.
    private struct Requirement: Hashable {
        var exact: Set<String> = []
        var prefixes: Set<String> = []

        /// Nil when some alternative spans no word at all (the position needs nothing).
        init?(_ set: CuePattern.WordSet) {
            exact = set.exact
            prefixes = Set(set.prefixes)
            for t in set.others {
                // Multi-word alternatives ("end user"): the first word must be there; only the last
                // word of a prefix alternative is a prefix.
                switch t {
                case let .exact(w):
                    guard let first = w.split(separator: " ").first else { return nil }
                    exact.insert(String(first))
                case let .prefix(p):
                    let parts = p.split(separator: " ")
                    guard let first = parts.first else { return nil }
                    if parts.count == 1 { prefixes.insert(String(first)) } else { exact.insert(String(first)) }
                }
            }
        }
    }

    init(rules: [Rule], matcher: VendorMatcher) {
        automaton = matcher.automaton
        tickers = matcher.tickers
        patternVendor = matcher.patternVendors
        let excluding = matcher.vendorsWithExclusions
        patternExcludes = matcher.patternVendors.map { excluding.contains(Int($0)) }

        var requirements: [Requirement] = []
        var index: [Requirement: Int] = [:]
        for rule in rules {
            for cue in rule.cues {
                for case let .words(set) in cue.elements {
                    guard let r = Requirement(set), index[r] == nil else { continue }
                    index[r] = requirements.count
                    requirements.append(r)
                }
            }
        }
        let width = max(1, (requirements.count + 63) / 64)
        self.width = width
        let shapes = rules.flatMap(\.cues).map { cue in
            CueShape(cue, bit: { set in Requirement(set).flatMap { index[$0] } }, width: width)
        }
        shapeSteps = .copying(shapes.flatMap(\.steps))
        shapeStepStart = .copying(shapes.reduce(into: [0]) { $0.append($0.last! + Int32($1.steps.count)) })
        shapeMasks = .copying(shapes.flatMap(\.mask))
        var lists = [[Int32]](repeating: [], count: width * 64)
        var unindexed: [Int32] = []
        for (i, shape) in shapes.enumerated() {
            if let k = shape.mask.lastIndex(where: { $0 != 0 }) {
                lists[k * 64 + 63 - shape.mask[k].leadingZeroBitCount].append(Int32(i))
            } else {
                unindexed.append(Int32(i))
            }
        }
        byBitStart = .copying(lists.reduce(into: [0]) { $0.append($0.last! + Int32($1.count)) })
        byBit = .copying(lists.flatMap { $0 })
        self.unindexed = .copying(unindexed)
        var rows = [UInt64](repeating: 0, count: width)
        var rowIndex: [[UInt64]: Int32] = [rows: 0]
        func row(_ bits: [UInt64]) -> Int32 {
            if let k = rowIndex[bits] { return k }
            let k = Int32(rowIndex.count)
            rowIndex[bits] = k
            rows.append(contentsOf: bits)
            return k
        }
        func row(_ accepted: (Requirement) -> Bool) -> Int32 {
            var bits = [UInt64](repeating: 0, count: width)
            for (i, r) in requirements.enumerated() where accepted(r) { bits[i / 64] |= 1 << UInt64(i % 64) }
            return row(bits)
        }
        allRow = row { _ in true }

        // The cue prefixes as a byte trie: words outside the table meet only prefix requirements,
        // those of the longest prefix they start with and of every prefix of it.
        var trie = PrefixTrie()
        var prefixAt: [Int32: String] = [:]
        var prefixNode: [String: Int32] = [:]
        for p in Set(requirements.flatMap(\.prefixes)) {
            let node = trie.insert(p)
            prefixAt[node] = p
            prefixNode[p] = node
        }
        trie.freeze()
        // `Requirement.accepts` turned around, so a word's row costs a lookup and a walk of its
        // bytes rather than a test of every requirement (that made a catalogue of 100,000
        // vendors take seconds): the requirements listing the word, and those with a prefix
        // the word starts with.
        var byExact: [String: [Int]] = [:]
        var byPrefixNode: [Int32: [Int]] = [:]
        for (i, r) in requirements.enumerated() {
            for w in r.exact { byExact[w, default: []].append(i) }
            for p in r.prefixes { byPrefixNode[prefixNode[p]!, default: []].append(i) }
        }
        func rowOfWord(_ w: String) -> Int32 {
            var bits = [UInt64](repeating: 0, count: width)
            for i in byExact[w] ?? [] { bits[i / 64] |= 1 << UInt64(i % 64) }
            var bytes = w
            bytes.withUTF8 { b in
                trie.forEachPrefix(of: b) { node in
                    for i in byPrefixNode[node] ?? [] { bits[i / 64] |= 1 << UInt64(i % 64) }
                }
            }
            return row(bits)
        }

        // Every word the cues or the names spell out, and the lower-case form of every ticker.
        var words = Set(requirements.flatMap(\.exact)).union(matcher.vocabulary.keys)
        let tickerForms = Set(matcher.tickers.keys.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.map { $0.lowercased() })
        words.formUnion(tickerForms)
        words.formUnion(SentenceSplitter.abbreviations)
        var table = WordTable(capacity: words.count)
        var trieWords: [([UInt8], Int32)] = []
        var nonASCII: [String: Int32] = [:]
        var vendorWord: [Int32] = []
        var tickerForm: [Bool] = []
        var abbreviation: [Bool] = []
        var wordRow: [Int32] = []
        for w in words.sorted() {
            let id = table.insert(w)
            trieWords.append((Array(w.utf8), id))
            precondition(Int(id) == vendorWord.count)
            vendorWord.append(matcher.vocabulary[w] ?? 0)
            tickerForm.append(tickerForms.contains(w))
            abbreviation.append(SentenceSplitter.abbreviations.contains(w))
            wordRow.append(rowOfWord(w))
            nonASCII[w] = id  // ASCII too: a word with other letters may equal one as a Swift string
        }
        self.nonASCII = nonASCII
        self.vendorWord = vendorWord
        self.tickerForm = tickerForm
        self.abbreviation = abbreviation
        self.wordRow = wordRow
        ampersandID = table.lookup("&")
        self.table = table

        var nodeRow = [Int32](repeating: 0, count: trie.nodeCount)
        var triePrefixes: [([UInt8], Int32)] = []
        for (node, p) in prefixAt {
            nodeRow[Int(node)] = rowOfWord(p)  // a prefix meets what a word spelled like it meets
            triePrefixes.append((Array(p.utf8), nodeRow[Int(node)]))
        }
        let wordTrie = WordTrie(words: trieWords, prefixes: triePrefixes)
        let inName = wordRow.indices.map { vendorWord[$0] != 0 || tickerForm[$0] }
        skimTable = .copying(wordTrie.skimRows(takenRow: wordRow.indices.map { inName[$0] ? -1 : wordRow[$0] }))
        nameSkimTable = .copying(wordTrie.skimRows(takenRow: inName.map { $0 ? -1 : 0 }))
        self.wordTrie = wordTrie
        var ampersandRow: Int32 = 0
        if ampersandID == nil, let node = Array("&".utf8).withUnsafeBufferPointer({ trie.deepestPrefix(of: $0) }) {
            ampersandRow = nodeRow[Int(node)]
        }
        self.ampersandRow = ampersandRow
        self.nodeRow = nodeRow
        self.trie = trie
        self.rows = .copying(rows)
    }

    deinit {
        skimTable.deallocate()
        nameSkimTable.deallocate()
        rows.deallocate()
        shapeSteps.deallocate()
        shapeStepStart.deallocate()
        shapeMasks.deallocate()
        byBitStart.deallocate()
        byBit.deallocate()
        unindexed.deallocate()
    }


    /// Whether a scan answers `mayCue`.
    enum CueTest {
        /// Only the names are wanted: `mayCue` is left false, and words that carry only a cue row
        /// are read like any other word.
        case none
        case always
        /// Only when the text may name a vendor (else `mayCue` is left false): an item that names
        /// none has no use for its cues, and most items name none.
        case ifMention
    }

    /// Scans `text`. With `lines`, each line (split as `Character`s "\n" and "\r") is a block of its
    /// own, as the analyzer's body blocks are; otherwise the text is one block. With `vendors`, the
    /// result lists the vendors the possible names belong to.
    func scan(_ text: String, lines: Bool, vendors: Bool = false, cues: CueTest = .always) -> Result {
        var text = text
        return text.withUTF8 { scan($0, lines: lines, vendors: vendors, cues: cues) }
    }

    private func scan(_ p: UnsafeBufferPointer<UInt8>, lines: Bool, vendors: Bool, cues: CueTest) -> Result {
        let skimRows = UnsafePointer((cues != .none ? skimTable : nameSkimTable).baseAddress.unsafelyUnwrapped)
        var result = Result()
        var state: Int32 = 0
        // The words as rows, block after block, -1 for a clause break (";") and `blockEnd` after
        // each block: tested for cues once the whole text is read, and only if it has to be. A
        // buffer of our own, as an array's append checked uniqueness and capacity on every word.
        var blockRows = RowBuffer()
        defer { blockRows.free() }
        var wordStart = -1
        var ascii = true
        var walk = WordTrie.Walk()
        var prev: UInt32 = 0
        var i = 0
        let n = p.count
        var blockMention = false
        var blockStart = 0
        // The current sentence of the line, whether it may name a vendor, the line's such
        // sentences, and whether a name in the line has exclusion phrases.
        var sentenceStart = 0
        var sentenceMention = false
        var lineSentences: [Range<Int>] = []
        var lineWhole = false

        func mention() {
            result.mayMention = true
            blockMention = true
            sentenceMention = true
        }
        func endSentence(_ end: Int) {
            if sentenceMention { lineSentences.append(sentenceStart..<end) }
            sentenceMention = false
            sentenceStart = end
        }
        func endBlock(_ end: Int) {
            blockRows.append(Self.blockEnd)
            if lines {
                endSentence(end)
                if blockMention {
                    result.mentionLines.append(blockStart)
                    let line = blockStart..<end
                    if lineWhole { result.mentionSpans.append(MentionSpan(bytes: line, line: line)) }
                    else { for s in lineSentences { result.mentionSpans.append(MentionSpan(bytes: s, line: line)) } }
                }
                lineSentences.removeAll(keepingCapacity: true)
                lineWhole = false
            }
            blockMention = false
            state = 0
        }
        // One word of the text: its table id (nil: in no cue and no name) and its cue row.
        func feed(_ id: Int32?, row: Int32) {
            guard id != nil || row != 0 else {
                // Most words: in no name (the automaton goes back to its root) and no cue.
                state = 0
                blockRows.append(0)
                return
            }
            state = automaton.step(state, id.map { vendorWord[Int($0)] } ?? 0)
            if state != 0, automaton.hasOutput(state) {
                mention()
                automaton.forEachOutput(state) {
                    if patternExcludes[Int($0)] { lineWhole = true }
                    if vendors { result.vendors.append(Int(patternVendor[Int($0)])) }
                }
            }
            if let id, wordRow[Int(id)] != 0 {
                // Both (a word with non-ASCII letters): any requirement, rather than a merged row.
                if row != 0 && row != wordRow[Int(id)] { blockRows.append(allRow) }
                else { blockRows.append(wordRow[Int(id)]) }
            } else {
                blockRows.append(row)
            }
        }
        func word(_ r: Range<Int>) {
            let w = UnsafeBufferPointer(rebasing: p[r])
            if ascii {
                // The word as Tokenizer folds ASCII words (lower-cased) is what `walk` spelled: the
                // same id as `table.lookup` and the same row as `trie.deepestPrefix` would give.
                let id = wordTrie.wordID(walk)
                let prefixRow = id != nil ? 0 : wordTrie.prefixPayload(walk)
                // A ticker counts only written in capitals.
                if let id, tickerForm[Int(id)], Self.isUpperCase(w) {
                    mention()
                    if vendors, let v = tickers[String(decoding: w, as: UTF8.self)] { result.vendors.append(v) }
                }
                feed(id, row: prefixRow)
            } else {
                let original = String(decoding: w, as: UTF8.self)
                var foldedWord = Tokenizer.fold(original)
                // Equal as Swift strings need not mean the same bytes: test prefixes on these bytes too.
                let id = nonASCII[foldedWord]
                let prefixRow = foldedWord.withUTF8 { trie.deepestPrefix(of: $0) }.map { nodeRow[Int($0)] } ?? 0
                if let v = tickers[original] {
                    mention()
                    if vendors { result.vendors.append(v) }
                }
                feed(id, row: prefixRow)
            }
        }

        while i < n {
            let b = p[i]
            if b < 0x80, classes[Int(b)] & ScalarClass.word != 0 {
                // A run of ASCII word bytes, walked on the word trie in one tight loop (most of the
                // text): the same state changes as byte by byte below.
                if wordStart < 0 {
                    // Most words are in no name, and a space (or ", ") follows them. What those
                    // bytes do below to such a word (no ticker either), the skim does: they end
                    // the word, which resets the name automaton and adds its cue row; a comma
                    // then does no more. (`ascii` is true between words.)
                    let skim = wordTrie.skimWords(p, from: i, rows: skimRows, into: blockRows.room())
                    if skim.words > 0 {
                        state = 0
                        blockRows.appendRoom(skim.words)
                        prev = 0x20
                    }
                    i = skim.start
                    if skim.end > skim.start {
                        wordStart = skim.start
                        walk = skim.walk
                        prev = UInt32(p[skim.end - 1])
                        i = skim.end
                    }
                    continue
                }
                let j = wordTrie.walkWordBytes(p, from: i, &walk)
                prev = UInt32(p[j - 1])
                i = j
                continue
            }
            var u = UInt32(b)
            var len = 1
            let c: UInt8
            if b < 0x80 {
                c = classes[Int(b)]
            } else {
                (u, len) = ScalarClass.decode(p, at: i)
                c = Int(u) < classes.count ? classes[Int(u)] : Self.slowClass(u)
            }
            if c & ScalarClass.word != 0 {
                if wordStart < 0 { wordStart = i }
                if b >= 0x80 { ascii = false }
            } else {
                // A decimal point or thousands separator between digits stays inside the number.
                if u == 0x2E || u == 0x2C, wordStart >= 0, ScalarClass.isNumeric(prev, classes), i + 1 < n,
                   ScalarClass.isNumeric(ScalarClass.decode(p, at: i + 1).0, classes) {
                    wordTrie.step(&walk, column: u == 0x2E ? Self.pointColumn : Self.commaColumn)
                    prev = u
                    i += 1
                    continue
                }
                // Cues match inside a sentence: its end is a break like ";" (where it is plain to see).
                let sentenceEnd = (u == 0x2E || u == 0x21 || u == 0x3F) && wordStart >= 0 && ascii
                    && Self.endsSentence(p, wordLength: i - wordStart, mark: i,
                                         abbreviation: wordTrie.wordID(walk).map { abbreviation[Int($0)] } ?? false)
                if wordStart >= 0 {
                    word(wordStart..<i)
                    wordStart = -1
                }
                ascii = true
                if u == 0x26 {
                    feed(ampersandID, row: ampersandRow)  // "&" is a word of its own ("Hydro & Nuclear").
                } else if u != 0x2C, c & ScalarClass.kept != 0 {
                    state = 0  // as VendorMatcher: punctuation other than a comma ends a name
                    if u == 0x3B || sentenceEnd { blockRows.append(-1) }
                    if sentenceEnd, lines { endSentence(i + 1) }  // the mark ends the sentence
                }
                if lines, Self.isLineBreak(p, at: i) {
                    endBlock(i)
                    blockStart = i + 1  // a line break is one byte
                    sentenceStart = i + 1
                }
            }
            prev = u
            i += len
        }
        if wordStart >= 0 { word(wordStart..<n) }
        endBlock(n)
        if cues == .always || (cues == .ifMention && result.mayMention) {
            result.mayCue = anyBlockMayHoldCue(blockRows.rows)
        }
        return result
    }

    /// Ends a block in the scan's rows (no row is negative but a clause break).
    private static let blockEnd: Int32 = -2

    /// Whether some block of `rows` (blocks each ended by `blockEnd`) may hold a cue.
    private func anyBlockMayHoldCue(_ rows: UnsafeBufferPointer<Int32>) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: width) { anyBlockMayHoldCue(rows, acc: $0) }
    }

    /// `acc`: room for the requirement bits of a block.
    private func anyBlockMayHoldCue(_ rows: UnsafeBufferPointer<Int32>, acc: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        var start = 0
        for (i, r) in rows.enumerated() where r == Self.blockEnd {
            let block = UnsafeBufferPointer(rebasing: rows[start..<i])
            start = i + 1
            // The requirements present anywhere in the block, the first and cheap test.
            for k in 0..<width { acc[k] = 0 }
            var any = false
            for r in block where r > 0 {
                let base = Int(r) * width
                for k in 0..<width { acc[k] |= self.rows[base + k] }
                any = true
            }
            if any, mayHoldCue(block, acc: UnsafeBufferPointer(acc)) { return true }
        }
        return false
    }


    /// Whether some cue can match in a clause of a sentence of the sentence model: the same test
    /// as the scan's, per clause instead of per block.
    func mayHoldCue(_ sentence: Sentence) -> Bool {
        let words = sentence.words
        // The rows in buffers of the stack: two arrays per sentence were allocated and freed.
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: words.count + sentence.clauseBreaks.count + 2) { wordRows in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: width) { acc in
                acc.initialize(repeating: 0)
                var n = 0
                for clause in SignalEngine.clauses(sentence) {
                    for k in clause {
                        let r = row(of: words[k])
                        if r != 0 { for j in 0..<width { acc[j] |= rows[Int(r) * width + j] } }
                        wordRows[n] = r
                        n += 1
                    }
                    wordRows[n] = -1  // a clause break
                    n += 1
                }
                return mayHoldCue(UnsafeBufferPointer(rebasing: wordRows[0..<n]), acc: UnsafeBufferPointer(acc))
            }
        }
    }

    /// The requirement row of a folded word (as the scan finds it).
    private func row(of word: String) -> Int32 {
        // Nil: a byte outside ASCII; else the row (nil: none) found on the ASCII bytes.
        func asciiRow(_ b: UnsafeBufferPointer<UInt8>) -> Int32?? {
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            // The scan's automaton first: the same id and prefix row as the table and prefix trie.
            if let walk = wordTrie.walkFolded(b) {
                if let id = wordTrie.wordID(walk) { return wordRow[Int(id)] }
                return wordTrie.prefixPayload(walk)
            }
            if let id = table.lookup(b) { return wordRow[Int(id)] }
            return trie.deepestPrefix(of: b).map { nodeRow[Int($0)] } ?? 0
        }
        // A native string's bytes are read in place; another is made native first.
        let ascii = word.utf8.withContiguousStorageIfAvailable(asciiRow) ?? {
            var w = word
            return w.withUTF8(asciiRow)
        }()
        if let r = ascii { return r ?? 0 }
        var w = word
        let byID = nonASCII[word].map { wordRow[Int($0)] } ?? 0
        let byPrefix = w.withUTF8 { trie.deepestPrefix(of: $0) }.map { nodeRow[Int($0)] } ?? 0
        return byID == 0 ? byPrefix : byPrefix == 0 || byPrefix == byID ? byID : allRow
    }

    /// Whether some cue can match in a clause of the block: first by the requirements present
    /// anywhere in it (cheap), then by their order and distances.
    private func mayHoldCue(_ words: UnsafeBufferPointer<Int32>, acc: UnsafeBufferPointer<UInt64>) -> Bool {
        let rows = UnsafeBufferPointer(self.rows), masks = shapeMasks, width = self.width
        let steps = UnsafeBufferPointer(shapeSteps), stepStart = shapeStepStart
        func test(_ s: Int) -> Bool {
            let mask = s * width
            for k in 0..<width where acc[k] & masks[mask + k] != masks[mask + k] { return false }
            var lo = 0
            while lo < words.count {
                var hi = lo
                while hi < words.count && words[hi] >= 0 { hi += 1 }
                if hi > lo, CueShape.mayMatch(steps: UnsafeBufferPointer(rebasing: steps[Int(stepStart[s])..<Int(stepStart[s + 1])]),
                                              clause: UnsafeBufferPointer(rebasing: words[lo..<hi]), rows: rows, width: width) {
                    return true
                }
                lo = hi + 1
            }
            return false
        }
        for s in unindexed where test(Int(s)) { return true }
        let start = byBitStart, byBit = self.byBit
        for k in 0..<width {
            var bits = acc[k]
            while bits != 0 {
                let b = k * 64 + bits.trailingZeroBitCount
                bits &= bits &- 1
                for j in Int(start[b])..<Int(start[b + 1]) where test(Int(byBit[j])) { return true }
            }
        }
        return false
    }

    /// A growable row list for the scan, freed by its owner.
    private struct RowBuffer {
        private var base = UnsafeMutablePointer<Int32>.allocate(capacity: 256)
        private var capacity = 256
        var count = 0

        var rows: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: base, count: count) }

        @inline(__always) mutating func append(_ r: Int32) {
            if count == capacity { grow() }
            base[count] = r
            count += 1
        }

        /// The free room after the rows (some, at least), to be written and then taken by `appendRoom`.
        mutating func room() -> UnsafeMutableBufferPointer<Int32> {
            if count == capacity { grow() }
            return UnsafeMutableBufferPointer(start: base + count, count: capacity - count)
        }

        /// Takes the first `taken` rows written to `room()`.
        mutating func appendRoom(_ taken: Int) {
            count += taken
        }

        private mutating func grow() {
            let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }

        func free() { base.deallocate() }
    }

    /// Whether the ".", "!" or "?" at `mark`, right after an ASCII word, ends a sentence where
    /// `SentenceSplitter` splits: in the plain case only (spaces, then a capital letter; for "." a
    /// word of two letters or more that is no abbreviation). Ends it leaves uncut only make the
    /// test weaker, never wrong.
    @inline(__always) private static func endsSentence(_ p: UnsafeBufferPointer<UInt8>, wordLength: Int, mark: Int,
                                                      abbreviation: Bool) -> Bool {
        var j = mark + 1
        guard j < p.count, p[j] == 0x20 else { return false }
        while j < p.count && p[j] == 0x20 { j += 1 }
        guard j < p.count, p[j] &- 65 < 26 else { return false }
        return p[mark] != 0x2E || (wordLength >= 2 && !abbreviation)
    }

    private static let pointColumn = WordTrie.column(of: 0x2E)!
    private static let commaColumn = WordTrie.column(of: 0x2C)!

    /// Whether an ASCII word has a capital letter and no small one (a ticker's spelling).
    private static func isUpperCase(_ w: UnsafeBufferPointer<UInt8>) -> Bool {
        var upper = false
        for b in w {
            if b &- 97 < 26 { return false }
            if b &- 65 < 26 { upper = true }
        }
        return upper
    }

    /// The `ScalarClass` bits of a scalar past the table, from the same properties and set.
    private static func slowClass(_ v: UInt32) -> UInt8 {
        let u = Unicode.Scalar(v)!
        let p = u.properties
        var c: UInt8 = 0
        if p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark { c |= ScalarClass.word }
        if p.numericType != nil { c |= ScalarClass.numeric }
        if Tokenizer.keptPunctuation.contains(u) { c |= ScalarClass.kept }
        return c
    }

    /// Where `split(whereSeparator: { $0 == "\n" || $0 == "\r" })` over `Character`s cuts: "\r\n"
    /// is one `Character`, equal to neither.
    @inline(__always) private static func isLineBreak(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        switch p[i] {
        case 0x0A: return i == 0 || p[i - 1] != 0x0D
        case 0x0D: return i + 1 >= p.count || p[i + 1] != 0x0A
        default: return false
        }
    }
}
