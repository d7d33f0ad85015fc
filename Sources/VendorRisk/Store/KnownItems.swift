/// The ids of a feed's stored items, which a run tests every item it reads against. The ids are
/// 32 hex digits (`ItemIdentity.id`), kept as two 64-bit halves: a night's hundred thousand ids
/// as strings cost an allocation and a string hash each while the run's start waited for them.
/// An id of another shape (a state edited by hand) is kept as it is.
public struct KnownItems: Sendable, Equatable, ExpressibleByArrayLiteral {
    private struct Key: Hashable {
        var high: UInt64
        var low: UInt64
    }

    private var keys: Set<Key> = []
    private var others: Set<String> = []

    public init() {}

    /// Room for `count` hex ids without growing (a feed holds about as many items as the last).
    init(minimumCapacity count: Int) {
        keys.reserveCapacity(count)
    }

    public init(arrayLiteral ids: String...) {
        for id in ids { insert(id) }
    }

    public var count: Int { keys.count + others.count }

    public mutating func insert(_ id: String) {
        var id = id
        id.withUTF8 { insert(utf8: $0) }
    }

    mutating func insert(utf8 id: UnsafeBufferPointer<UInt8>) {
        if let key = Self.key(id) { keys.insert(key) } else { others.insert(String(decoding: id, as: UTF8.self)) }
    }

    public func contains(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { bytes in
            if let key = Self.key(bytes) { return keys.contains(key) }
            return others.contains(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Exactly 32 lower-case hex digits, as `ItemIdentity` writes them; nil for anything else.
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key? {
        guard bytes.count == 32, let p = bytes.baseAddress else { return nil }
        // Per byte its digit's value, 0x10 for a byte that is not a digit: OR-ed together, the
        // values show whether any was not, with no branch per byte.
        return hexValues.withUnsafeBufferPointer { table in
            var high: UInt64 = 0, low: UInt64 = 0, bad: UInt8 = 0
            for i in 0..<16 {
                let v = table[Int(p[i])]
                bad |= v
                high = high << 4 | UInt64(v & 0xF)
            }
            for i in 16..<32 {
                let v = table[Int(p[i])]
                bad |= v
                low = low << 4 | UInt64(v & 0xF)
            }
            return bad & 0x10 == 0 ? Key(high: high, low: low) : nil
        }
    }

    private static let hexValues: [UInt8] = (0..<256).map { b in
        switch b {
        case 0x30...0x39: UInt8(b - 0x30)
        case 0x61...0x66: UInt8(b - 0x61 + 10)
        default: 0x10
        }
    }
}
