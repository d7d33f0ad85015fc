/// The ASCII words of the item scan's `WordTable` and the cue prefixes of its `PrefixTrie` as one
/// byte automaton, walked while the scan reads a word. For ASCII words it replaces folding the
/// word into a buffer, hashing it and walking the prefix trie: the hash's chain of multiplications
/// was most of the scan's cost per word, and most words leave this trie within a byte or two.
///
/// Laid out as a double-array trie (memory grows with the number of nodes: a dense row per node
/// would take a hundred megabytes for 100,000 vendors), but each slot holds its node's base and a
/// bit per column that has a child: a step is one load, of the node it is at, and a walk that
/// dies there touches no other slot.
struct WordTrie: Sendable {
    /// What a walk ends with.
    struct Walk: Equatable {
        /// Whether every byte had a transition (the walk is at `node`); otherwise `node` is the
        /// last node reached.
        var alive = true
        var node = 0
    }

    /// The bytes a case-folded ASCII word is made of: digits, lower-case letters, and the decimal
    /// point and thousands separator a number keeps inside it.
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz.,".utf8)

    /// The tables, written once by `init` and only read after: the scan's innermost loop reads
    /// them through pointers, without a bounds check or a retain per byte. Every index it forms is
    /// in range: a node's base leaves room for every column after it (`reserve`), and a leaf's
    /// base is 0, below the first 1,024 slots.
    private final class Tables: @unchecked Sendable {
        /// byte → column + 1 for ASCII word bytes (a letter of either case has its lower case's
        /// column); 0 for every other byte, "." and "," included (they are not word bytes: the
        /// scan steps them with `column(of:)` when a number keeps them).
        let wordColumn: UnsafeMutableBufferPointer<UInt8>
        /// Per slot, one word: the base of its node's children in the bits from `baseShift` up, and
        /// in the bits below it, bit `c` set when the node has a child by column `c` (at slot
        /// `base + c`). The double array's check (the parent of a slot) is not needed to walk: the
        /// bit says the child is there. A walk's chain of dependent loads is one per byte, and a
        /// walk that dies reads no slot of a child that is not there (a cache miss, mostly).
        let slots: UnsafeMutableBufferPointer<UInt64>
        static let baseShift: UInt64 = 38
        /// Per slot, two side by side: the id of the word that ends there, or -1; the payload of
        /// the deepest prefix that ends there or above it, or 0. Read once per word, where its walk
        /// ends.
        let ends: UnsafeMutableBufferPointer<Int32>
        /// The first two steps from the root at once, by the two bytes' `wordColumn` values
        /// (`pairIndex`): the node reached, or `-(last node reached + 1)` when the walk dies on
        /// the way. Most words leave the trie within two bytes; a step's loads depend on the one
        /// before, and the second level's slots are spread over the array (cache misses), while
        /// this table is a few kilobytes read at an address the bytes alone give.
        let pairs: UnsafeMutableBufferPointer<Int32>
        static let pairWidth = 37
        @inline(__always) static func pairIndex(_ k0: Int, _ k1: Int) -> Int { k0 &* pairWidth &+ k1 }

        init(wordColumn: [UInt8], base: [Int32], check: [Int32], wordID: [Int32], prefixPayload: [Int32]) {
            self.wordColumn = .copying(wordColumn)
            precondition(base.count < 1 << (64 - Int(Self.baseShift)), "word trie too large for its slot layout")
            precondition(WordTrie.alphabet.count <= Int(Self.baseShift), "a column's bit would overlap the base")
            var words = base.map { UInt64(UInt32(bitPattern: $0)) << Self.baseShift }
            var ends = [Int32](repeating: 0, count: 2 * base.count)
            for t in base.indices {
                ends[2 * t] = wordID[t]
                ends[2 * t + 1] = prefixPayload[t]
                // An occupied slot other than the root's is the child of its check by column t - base.
                if t != 0, check[t] >= 0 {
                    let parent = Int(check[t])
                    words[parent] |= 1 << UInt64(t - Int(base[parent]))
                }
            }
            slots = .copying(words)
            self.ends = .copying(ends)
            var pairs = [Int32](repeating: 0, count: Self.pairWidth * Self.pairWidth)
            func step(_ node: Int, _ k: Int) -> Int? {
                let slot = words[node]
                return slot >> UInt64(k - 1) & 1 != 0 ? Int(slot >> Self.baseShift) + k - 1 : nil
            }
            for k0 in 1..<Self.pairWidth {
                for k1 in 1..<Self.pairWidth {
                    if let first = step(0, k0) {
                        pairs[Self.pairIndex(k0, k1)] = step(first, k1).map(Int32.init) ?? -Int32(first + 1)
                    } else {
                        pairs[Self.pairIndex(k0, k1)] = -1
                    }
                }
            }
            self.pairs = .copying(pairs)
        }

        deinit {
            wordColumn.deallocate()
            slots.deallocate()
            ends.deallocate()
            pairs.deallocate()
        }
    }
    private let tables: Tables

    /// `words`: (folded bytes, id); `prefixes`: (folded bytes, payload, nonzero). Entries with a
    /// byte outside `alphabet` are left out: no folded ASCII word can equal or start with them.
    init(words: [([UInt8], Int32)], prefixes: [([UInt8], Int32)]) {
        var column = [Int](repeating: -1, count: 256)
        for (k, b) in Self.alphabet.enumerated() { column[Int(b)] = k }
        var wordColumn = [UInt8](repeating: 0, count: 256)
        for b in 0..<256 where column[b] >= 0 && b != 0x2E && b != 0x2C { wordColumn[b] = UInt8(column[b] + 1) }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { wordColumn[Int(b)] = wordColumn[Int(b + 32)] }

        // A pointer trie first; then each node's children are placed in the double array.
        var children: [[Int: Int]] = [[:]]
        var ids: [Int32] = [-1]
        var payloads: [Int32] = [0]
        func node(_ bytes: [UInt8]) -> Int? {
            var n = 0
            for b in bytes {
                let c = column[Int(b)]
                if c < 0 { return nil }
                if let next = children[n][c] { n = next; continue }
                children.append([:]); ids.append(-1); payloads.append(0)
                children[n][c] = children.count - 1
                n = children.count - 1
            }
            return n
        }
        for (bytes, id) in words { if let n = node(bytes) { ids[n] = id } }
        for (bytes, payload) in prefixes { if let n = node(bytes) { payloads[n] = payload } }

        let columns = Self.alphabet.count
        var base = [Int32](repeating: 0, count: 1024)
        var check = [Int32](repeating: -1, count: 1024)
        var slotID = [Int32](repeating: -1, count: 1024)
        var slotPayload = [Int32](repeating: 0, count: 1024)
        // The first free slot at or after each slot: a free slot is its own answer, an occupied one
        // points past itself (paths halved as they are followed). Trying every base in turn was
        // quadratic: 6 s for 100,000 vendors.
        var nextFree = (0..<1024).map(Int32.init)
        func reserve(_ n: Int) {
            guard n > check.count else { return }
            let size = max(n, check.count * 2)
            base += [Int32](repeating: 0, count: size - base.count)
            check += [Int32](repeating: -1, count: size - check.count)
            slotID += [Int32](repeating: -1, count: size - slotID.count)
            slotPayload += [Int32](repeating: 0, count: size - slotPayload.count)
            nextFree += (nextFree.count..<size).map(Int32.init)
        }
        func firstFree(from i: Int) -> Int {
            reserve(i + 1)
            var i = i
            while nextFree[i] != Int32(i) {
                let up = Int(nextFree[i])
                reserve(up + 1)
                nextFree[i] = nextFree[up]
                i = up
            }
            return i
        }
        func occupy(_ s: Int) {
            reserve(s + 2)
            nextFree[s] = Int32(s + 1)
        }
        check[0] = -2  // the root's slot: no transition leads there (every base is at least 1)
        occupy(0)
        slotID[0] = ids[0]
        slotPayload[0] = payloads[0]
        var queue: [(node: Int, slot: Int)] = [(0, 0)]
        var head = 0
        while head < queue.count {
            let (n, slot) = queue[head]
            head += 1
            let cols = children[n].keys.sorted()
            guard let low = cols.first else { continue }
            // Bases are tried where the first child would land on a free slot.
            var f = firstFree(from: 1 + low)
            var b = f - low
            while true {
                reserve(b + columns + 1)
                if cols.allSatisfy({ check[b + $0] == -1 }) { break }
                f = firstFree(from: f + 1)
                b = f - low
            }
            base[slot] = Int32(b)
            for c in cols {
                let child = children[n][c]!
                let s = b + c
                occupy(s)
                check[s] = Int32(slot)
                slotID[s] = ids[child]
                // The deepest prefix on the path: the child's own, else the one above it.
                slotPayload[s] = payloads[child] != 0 ? payloads[child] : slotPayload[slot]
                queue.append((child, s))
            }
        }
        tables = Tables(wordColumn: wordColumn, base: base, check: check, wordID: slotID, prefixPayload: slotPayload)
    }

    /// The column of an ASCII byte of a folded word ("." and "," included), or nil.
    static func column(of byte: UInt8) -> Int? {
        alphabet.firstIndex(of: byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte)
    }

    /// One step from `walk` on column `column`; a dead walk stays where it died.
    @inline(__always) func step(_ walk: inout Walk, column: Int) {
        guard walk.alive else { return }
        let slot = tables.slots[walk.node]
        if slot >> UInt64(column) & 1 != 0 { walk.node = Int(slot >> Tables.baseShift) + column } else { walk.alive = false }
    }

    /// Walks the ASCII word bytes of `p` from `i` on (stopping at the first byte that is not one),
    /// and returns where they end.
    @inline(__always) func walkWordBytes(_ p: UnsafeBufferPointer<UInt8>, from i: Int, _ walk: inout Walk) -> Int {
        let end = Self.wordEnd(p, from: i)
        if walk.alive { walk = walk.node == 0 ? walkWord(p, from: i, to: end) : steps(p, from: i, to: end, node: walk.node) }
        return end
    }

    /// Where the run of ASCII letters and digits at `i` ends: eight bytes at a time, each byte
    /// classified by arithmetic on the whole word of them (`wordBytes`), where a loop over the
    /// bytes took a table load and a branch per byte, and a mispredicted branch at the end.
    @inline(__always) static func wordEnd(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        var j = i
        let n = p.count
        let base = UnsafeRawPointer(p.baseAddress.unsafelyUnwrapped)
        while j &+ 8 <= n {
            let other = ~wordBytes(base.loadUnaligned(fromByteOffset: j, as: UInt64.self)) & 0x8080_8080_8080_8080
            if other != 0 { return j &+ other.trailingZeroBitCount >> 3 }
            j &+= 8
        }
        while j < n, wordBytes(UInt64(p[j])) != 0 { j &+= 1 }
        return j
    }

    /// 0x80 in each byte of `x` (little-endian) that is an ASCII letter or digit, 0 in the others.
    /// Per byte, exactly (no carry or borrow crosses a byte): `between` is the "has between" of
    /// Bit Twiddling Hacks, a byte with its top bit set being in no range.
    @inline(__always) static func wordBytes(_ x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func between(_ x: UInt64, _ low: UInt64, _ high: UInt64) -> UInt64 {
            let low7 = x & (ones &* 127)
            return (ones &* (127 &+ high) &- low7) & ~x & (low7 &+ ones &* (127 &- low)) & (ones &* 128)
        }
        // Digits are 0x30...0x39; setting 0x20 makes a letter of either case 0x61...0x7A.
        return between(x, 0x2F, 0x3A) | between(x | ones &* 0x20, 0x60, 0x7B)
    }

    /// What `skimWords` read: the words it took, and the word it stopped at.
    struct Skim {
        var words = 0
        /// Where the word it stopped at starts (or, with `end == start`, where the text goes on
        /// with no word taken: a byte that is no ASCII word byte, the end, or a word after the
        /// rows' room ran out).
        var start: Int
        var end: Int
        /// The walk of `start..<end`.
        var walk = Walk()
    }

    /// The row `skimWords` takes each word with, per node of the trie where a word's walk ends:
    /// for a walk alive there, `takenRow` of the word spelled (the payload of the deepest prefix
    /// when it spells none); for a walk that died there, that payload. One table per set of rows
    /// (the scan has two), built once: the skim reads a word's row with one load, where reading
    /// the word's id and then its row was two, the second waiting for the first.
    ///
    /// Two per node, [alive, dead], given a row (or -1: stop there) per word id.
    func skimRows(takenRow: [Int32]) -> [Int32] {
        let ends = tables.ends
        var rows = [Int32](repeating: 0, count: ends.count)
        for node in 0..<ends.count / 2 {
            let id = ends[2 * node], payload = ends[2 * node + 1]
            rows[2 * node] = id >= 0 ? takenRow[Int(id)] : payload
            rows[2 * node + 1] = payload
        }
        return rows
    }

    /// Reads words each followed by a space (or ", ") from `i`, where an ASCII word starts, and
    /// writes the row of each to `rows`: for a word of the trie with id `k`, `takenRow[k]` of the
    /// `skimRows(takenRow:)` that `wordRows` points at; for another word, the payload of the deepest prefix
    /// it starts with (0 for none). Stops at a word of the trie whose row is negative, a word
    /// followed by anything else, a byte after the space that starts no ASCII word, or when `rows`
    /// is full.
    ///
    /// Most words of a text are taken, and this loop over them keeps its few values in
    /// registers: inside the item scan's loop, with its dozens of live values, each word cost
    /// twice the instructions in stack loads and stores.
    @inline(never) func skimWords(_ p: UnsafeBufferPointer<UInt8>, from i: Int, rows wordRows: UnsafePointer<Int32>,
                                  into rows: UnsafeMutableBufferPointer<Int32>) -> Skim {
        let n = p.count
        let column = tables.wordColumn.baseAddress.unsafelyUnwrapped
        let out = rows.baseAddress.unsafelyUnwrapped
        var start = i
        var count = 0
        while count < rows.count {
            let end = Self.wordEnd(p, from: start)
            let walk = walkWord(p, from: start, to: end)
            // A comma before the space changes nothing (no number goes on past ", ").
            let space = end < n && p[end] == 0x20 ? 1 : end &+ 1 < n && p[end] == 0x2C && p[end &+ 1] == 0x20 ? 2 : 0
            let row = wordRows[2 &* walk.node &+ (walk.alive ? 0 : 1)]
            guard row >= 0, space > 0 else { return Skim(words: count, start: start, end: end, walk: walk) }
            out[count] = row
            count &+= 1
            start = end &+ space
            if start >= n || column[Int(p[start])] == 0 { break }
        }
        return Skim(words: count, start: start, end: start)
    }

    /// Walks the ASCII word bytes `p[start..<end]` from the root.
    @inline(__always) func walkWord(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Walk {
        let column = tables.wordColumn.baseAddress.unsafelyUnwrapped
        guard start &+ 1 < end else { return steps(p, from: start, to: end, node: 0) }
        let reached = Int(tables.pairs[Tables.pairIndex(Int(column[Int(p[start])]), Int(column[Int(p[start &+ 1])]))])
        if reached < 0 { return Walk(alive: false, node: -reached &- 1) }
        return steps(p, from: start &+ 2, to: end, node: reached)
    }

    /// Walks the ASCII word bytes `p[start..<end]` from `node` on.
    @inline(__always) private func steps(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, node: Int) -> Walk {
        let column = tables.wordColumn.baseAddress.unsafelyUnwrapped
        let slots = tables.slots.baseAddress.unsafelyUnwrapped
        var j = start
        var node = node
        // Indices are in range by construction (see `Tables`): wrapping arithmetic, no checks.
        while j < end {
            let c = Int(column[Int(p[j])]) &- 1
            let slot = slots[node]
            if slot &>> UInt64(truncatingIfNeeded: c) & 1 == 0 { return Walk(alive: false, node: node) }
            node = Int(truncatingIfNeeded: slot &>> Tables.baseShift) &+ c
            j &+= 1
        }
        return Walk(alive: true, node: node)
    }

    /// The id of the word the walk spelled, if it is one of `words`.
    @inline(__always) func wordID(_ walk: Walk) -> Int32? {
        guard walk.alive else { return nil }
        let id = tables.ends[2 * walk.node]
        return id >= 0 ? id : nil
    }

    /// The payload of the deepest prefix the walked word starts with, or 0.
    @inline(__always) func prefixPayload(_ walk: Walk) -> Int32 { tables.ends[2 * walk.node + 1] }

    /// Walks a folded ASCII word, or returns nil when a byte of it is outside `alphabet` (a
    /// capital letter included): then no word or prefix here can equal or start it.
    func walkFolded(_ p: UnsafeBufferPointer<UInt8>) -> Walk? {
        var w = Walk()
        for b in p {
            let k: Int
            if b == 0x2E { k = Self.pointColumn } else if b == 0x2C { k = Self.commaColumn } else {
                let c = Int(tables.wordColumn[Int(b)])
                guard c != 0, b &- 65 >= 26 else { return nil }
                k = c - 1
            }
            step(&w, column: k)
        }
        return w
    }
    private static let pointColumn = column(of: 0x2E)!
    private static let commaColumn = column(of: 0x2C)!

    /// Walks a whole folded word (tests, and words met outside the scan).
    func walk(_ bytes: some Sequence<UInt8>) -> Walk {
        var w = Walk()
        for b in bytes {
            guard let c = Self.column(of: b) else { w.alive = false; break }
            step(&w, column: c)
        }
        return w
    }
}
