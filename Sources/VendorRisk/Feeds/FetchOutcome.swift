import Foundation

/// HTTP cache validators of one feed, kept in the state between runs and sent back as
/// `If-None-Match` / `If-Modified-Since`. Opaque strings, exactly as the server sent them.
public struct FeedValidators: Sendable, Equatable, Hashable, Codable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

/// A feed that was read: what the reader found and what to remember for the next run.
public struct FetchedFeed: Sendable, Equatable {
    public var summary: FeedSummary
    /// The validators of this response (nil fields when the server sent none): store these.
    public var validators: FeedValidators
    /// Where the body came from after redirects (the path for files).
    public var finalURL: String
    /// Decompressed bytes read.
    public var bytes: Int

    public init(summary: FeedSummary, validators: FeedValidators, finalURL: String, bytes: Int) {
        self.summary = summary
        self.validators = validators
        self.finalURL = finalURL
        self.bytes = bytes
    }
}

/// What one fetch produced when it did not fail.
public enum FetchOutcome: Sendable, Equatable {
    /// The body was parsed; its items went to `onItem`.
    case fetched(FetchedFeed)
    /// `304 Not Modified`: nothing to parse. The validators to keep (the server's new ones where
    /// it sent any, else those sent).
    case notModified(FeedValidators)
    /// `429`, or `503` with `Retry-After`: skip the feed until then; not a failure.
    case retryLater(until: Date)
}
