/// Limits and behaviour of `FeedFetcher`; the defaults are the ones `run` uses.
public struct FetchOptions: Sendable {
    /// Time allowed to open a TCP (and TLS) connection.
    public var connectTimeout: Duration = .seconds(10)
    /// Time allowed for a whole fetch: every redirect hop, the headers and the whole body.
    public var deadline: Duration = .seconds(30)
    /// Redirects followed before giving up; a redirect back to a URL already visited is a loop.
    public var maxRedirects: Int = 5
    /// Limits of the feed reader; `maxFeedBytes` caps the decompressed body as it does a file.
    public var reader: FeedReaderOptions = .init()
    /// When a 429 carries no `Retry-After`, the feed is skipped for this long.
    public var defaultRetryAfter: Duration = .seconds(3600)
    /// A `Retry-After` further away than this is cut to it, so that a hostile or mistaken server
    /// cannot park a feed for months.
    public var maxRetryAfter: Duration = .seconds(7 * 86_400)
    /// Connections kept per host: at least the number of fetches in flight to one host.
    public var maxConnectionsPerHost: Int = 8
    /// The `User-Agent` header.
    public var userAgent: String = "vendor-risk/\(VendorRiskInfo.version)"

    public init(maxFeedBytes: Int = 50_000_000) {
        reader = FeedReaderOptions(maxFeedBytes: maxFeedBytes)
    }

    public var maxFeedBytes: Int {
        get { reader.maxFeedBytes }
        set { reader.maxFeedBytes = newValue }
    }
}
