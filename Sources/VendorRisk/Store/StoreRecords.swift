import Foundation

/// What the store remembers about a feed between runs.
public struct FeedState: Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var size: Int?
    public var mtime: Double?
    public var contentHash: String?
    public var etag: String?
    public var lastModified: String?
    public var retryUntil: Date?
    public var consecutiveFailures: Int
    public var lastError: String?

    /// Nothing of a past failure or a server's "come back later" is left to clear.
    var isClean: Bool { consecutiveFailures == 0 && lastError == nil && retryUntil == nil }
}

/// An item seen for the first time, with its analysis.
public struct NewItem: Sendable {
    public var id: String
    public var contentHash: String
    public var guid: String?
    public var link: String?
    public var title: String?
    public var published: Date?
    /// The text analysed, kept to analyse it again when the rules or the catalogue change.
    public var summary: String?
    public var content: String?
    public var mentions: [(vendor: String, alias: String, count: Int)]
    public var signals: [StoredSignal]
}

/// A signal as stored with its item.
public struct StoredSignal: Sendable, Equatable {
    public var vendor: String
    public var category: String
    public var rule: String
    public var weight: Double
    public var evidence: String
}

/// A stored item to analyse again.
public struct StoredItem: Sendable {
    /// The item's row id: what its mentions and signals point at.
    public var key: Int64
    public var id: String
    public var title: String?
    public var summary: String?
    public var content: String?

    public var feedItem: FeedItem { FeedItem(id: id, title: title, summary: summary, content: content) }
}

/// One run's figures, as stored.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64 = 0
    public var asOf: Date
    public var status: String
    public var rulesVersion: String
    public var rulesSHA256: String
    public var catalogueSHA256: String
    public var feedsRead: Int
    public var feedsNotModified: Int
    public var itemsRead: Int
    public var itemsNew: Int
    public var newSignals: Int
    public var failures: [FeedFailure]
    public var skips: [FeedSkip]
}

public struct FeedFailure: Sendable, Equatable {
    public var feed: String
    public var error: String
    public var consecutiveFailures: Int
}

public struct FeedSkip: Sendable, Equatable {
    public var feed: String
    public var until: Date
}

/// A vendor's stored score in one run.
public struct StoredScore: Sendable, Equatable {
    public var vendor: String
    public var score: Int
    public var band: String
}

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
