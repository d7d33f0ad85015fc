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
}

/// An item seen for the first time, with its analysis.
public struct NewItem: Sendable {
    public var id: String
    /// `ItemIdentity.contentHash`, which only scoring reads (copies of one story in several feeds
    /// are one event): empty for an item without signals, and set when a later analysis finds one.
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
