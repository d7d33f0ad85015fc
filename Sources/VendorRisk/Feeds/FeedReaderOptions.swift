/// Limits that keep one hostile feed from exhausting time or memory.
///
/// libxml2 enforces none of these for a SAX handler (its depth and text-node limits live in the
/// tree builder), so the reader keeps its own.
public struct FeedReaderOptions: Sendable {
    /// Larger feeds are refused before a byte is parsed.
    public var maxFeedBytes: Int = 50_000_000
    /// Bytes kept per field; the rest is cut with a warning.
    public var maxFieldBytes: Int = 2 << 20
    /// Elements nested deeper are ignored.
    public var maxDepth: Int = 256
    /// Characters libxml2 may deliver, entity expansions included, per input byte (at least
    /// `minExpansionBudget` in all): past it the feed stops with a warning.
    public var expansionFactor: Int = 8
    public var minExpansionBudget: Int = 64 << 20
    public var maxWarnings: Int = 50
    /// Files of this size or more are read on three threads (see `FeedReader.read`).
    public var pipelineThreshold: Int = 1 << 20
    /// Bytes handed to libxml2 per call.
    public var chunkSize: Int = 64 << 10
    /// Whether items get their authors and categories: `parse` shows them; a run stores neither,
    /// and leaves them unread (their text was a few percent of its reading).
    public var readsBylinesAndCategories = true

    public init(maxFeedBytes: Int = 50_000_000) {
        self.maxFeedBytes = maxFeedBytes
    }
}

/// Why a feed could not be read at all.
public enum FeedError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case empty(path: String)
    case notXML(path: String, detail: String)
    case notAFeed(path: String, root: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read: \(reason)"
        case let .tooLarge(path, bytes, limit):
            "\(path): feed is \(bytes) bytes, over the limit of \(limit) (raise --max-feed-bytes to read it)"
        case let .empty(path): "\(path): empty file, not a feed"
        case let .notXML(path, detail): "\(path): not an XML feed (\(detail))"
        case let .notAFeed(path, root): "\(path): not a feed: the document is <\(root)>, not RSS or Atom"
        }
    }
}
