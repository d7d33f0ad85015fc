/// A set of case-folded words looked up by their UTF-8 bytes, so a scan over an item's text can
/// classify each word without building a `String` or hashing one (Swift's string hashing and
/// allocation dominated the per-word cost). Open addressing with FNV-1a; ids are dense, in
/// insertion order.
struct WordTable: Sendable {
    private var slots: [Int32] = []       // entry id + 1, or 0 for an empty slot
    private var mask = 0
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var keyBytes: [UInt8] = []
    /// One bit per value of the hash's top bits, set for the words in the table: most words looked
    /// up are in no table, and this small set (it stays in the first-level cache) turns most of
    /// them away without touching the slots.
    private var present: [UInt64]
    /// Bits in `present`, less one: 64 per word of the table it was made for, up to 65,536 (a
    /// table of a few cue words needs no eight kilobytes of them).
    private let presentMask: Int

    var count: Int { keyStart.count }

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        let words = min(1024, max(1, size / 2))
        present = [UInt64](repeating: 0, count: words)
        presentMask = words * 64 - 1
    }

    /// Eight bytes at a time, each block multiplied in, then mixed so that the low bits (the slot)
    /// and the top bits (the presence bit) both depend on every byte: most words are one block,
    /// where a byte-at-a-time hash was a chain of one multiplication per byte.
    @inline(__always) static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var h = UInt64(truncatingIfNeeded: p.count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = p.baseAddress else { return Int(truncatingIfNeeded: h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= p.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 31
            i += 8
        }
        if i < p.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < p.count { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// The id of `word`, adding it if new. Only while building (the table never grows past twice
    /// the capacity it was made for: it rehashes instead).
    mutating func insert(_ word: String) -> Int32 {
        var bytes = Array(word.utf8)
        return bytes.withUnsafeMutableBufferPointer { p in
            let key = UnsafeBufferPointer(p)
            if let id = lookup(key) { return id }
            if (count + 1) * 2 > slots.count { grow() }
            let id = Int32(count)
            keyStart.append(Int32(keyBytes.count))
            keyLength.append(Int32(key.count))
            keyBytes.append(contentsOf: key)
            place(id, hash: Self.hash(key))
            return id
        }
    }

    @inline(__always) private func presentBit(_ hash: Int) -> (word: Int, mask: UInt64) {
        let bit = Int(truncatingIfNeeded: UInt64(bitPattern: Int64(hash)) >> 48) & presentMask
        return (bit >> 6, 1 << UInt64(bit & 63))
    }

    private mutating func place(_ id: Int32, hash: Int) {
        let (w, m) = presentBit(hash)
        present[w] |= m
        var i = hash & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = id + 1
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for id in 0..<count {
            let h = keyBytes.withUnsafeBufferPointer { all in
                Self.hash(UnsafeBufferPointer(rebasing: all[Int(keyStart[id])..<Int(keyStart[id] + keyLength[id])]))
            }
            place(Int32(id), hash: h)
        }
    }

    /// The id of the word spelled by `key`, if it is in the table.
    @inline(__always) func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        lookup(key, hash: Self.hash(key))
    }

    /// The same, with `hash` already computed (`hash(key)`).
    @inline(__always) func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: Int) -> Int32? {
        let (w, m) = presentBit(hash)
        if present.withUnsafeBufferPointer({ $0[w] }) & m == 0 { return nil }
        var i = hash & mask
        return slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { bytes in
                while true {
                    let s = slots[i]
                    if s == 0 { return nil }
                    let id = Int(s - 1)
                    let len = Int(keyLength[id])
                    if len == key.count {
                        let start = Int(keyStart[id])
                        var same = true
                        for j in 0..<len where bytes[start + j] != key[j] { same = false; break }
                        if same { return Int32(id) }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    func lookup(_ word: String) -> Int32? {
        var w = word
        return w.withUTF8 { lookup($0) }
    }
}

/// Word prefixes (`licen*`) as a byte trie: walking a word down it finds the longest prefix the
/// word starts with (and so every shorter one on the way) in one pass over its bytes.
struct PrefixTrie: Sendable {
    private var children: [[(byte: UInt8, node: Int32)]] = [[]]
    /// Whether a prefix ends at the node.
    private(set) var ends: [Bool] = [false]

    var nodeCount: Int { ends.count }

    /// Adds `prefix` and returns its node.
    @discardableResult
    mutating func insert(_ prefix: String) -> Int32 {
        var node: Int32 = 0
        for b in prefix.utf8 {
            if let n = children[Int(node)].first(where: { $0.byte == b })?.node { node = n; continue }
            let n = Int32(children.count)
            children.append([])
            ends.append(false)
            children[Int(node)].append((b, n))
            node = n
        }
        ends[Int(node)] = true
        return node
    }

    /// The walk runs once for most words of every item (most are in no table), so the child lists
    /// are flattened by `freeze()` into one dense table: a column per byte that some prefix uses.
    private var column = [Int32](repeating: 0, count: 256)  // byte → column + 1; 0: in no prefix
    private var columns = 0
    private var transitions: [Int32] = []  // node * columns + column → child; 0: none (the root is no child)

    /// Builds the dense table; call after the last `insert` and before `deepestPrefix`.
    mutating func freeze() {
        column = [Int32](repeating: 0, count: 256)
        columns = 0
        for list in children {
            for (b, _) in list where column[Int(b)] == 0 { columns += 1; column[Int(b)] = Int32(columns) }
        }
        transitions = [Int32](repeating: 0, count: max(1, children.count * columns))
        for (node, list) in children.enumerated() {
            for (b, n) in list { transitions[node * columns + Int(column[Int(b)]) - 1] = n }
        }
    }

    /// Every node on the path of `key` where a prefix ends (every prefix that starts `key`),
    /// shortest first.
    @inline(__always) func forEachPrefix(of key: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        var node = 0
        if ends[0] { body(0) }
        for b in key {
            let c = Int(column[Int(b)])
            if c == 0 { break }
            let n = transitions[node * columns + c - 1]
            if n == 0 { break }
            node = Int(n)
            if ends[node] { body(n) }
        }
    }

    /// The deepest node on the path of `key` where a prefix ends, or nil when no prefix starts `key`.
    @inline(__always) func deepestPrefix(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var best: Int32?
        forEachPrefix(of: key) { best = $0 }
        return best
    }
}
