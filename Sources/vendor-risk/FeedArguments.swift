import Foundation
import VendorRisk

/// Reads the feed arguments of `parse` and `analyze`: paths and `file://` URLs from disk,
/// http(s) URLs through one `FeedFetcher` (made only when an argument is remote).
struct FeedArguments {
    let reader: FeedReader
    let fetcher: FeedFetcher?

    /// Runs `body` with a reader for `arguments`, shutting the fetcher down afterwards.
    static func with<R>(_ arguments: [String], maxFeedBytes: Int,
                        _ body: (FeedArguments) async throws -> R) async throws -> R {
        let reader = FeedReader(options: FeedReaderOptions(maxFeedBytes: maxFeedBytes))
        guard arguments.contains(where: { (try? FeedSource($0))?.isRemote == true }) else {
            return try await body(FeedArguments(reader: reader, fetcher: nil))
        }
        var options = FetchOptions()
        options.reader = reader.options
        return try await FeedFetcher.withFetcher(options: options) { fetcher in
            try await body(FeedArguments(reader: reader, fetcher: fetcher))
        }
    }

    /// Streams the items of one feed to `onItem`, in document order; throws `FeedError` for a
    /// file (messages as before URLs were accepted) and `FetchError` for a URL or a bad scheme.
    @discardableResult
    func read(_ argument: String, onItem: @escaping (FeedItem) -> Void) async throws -> FeedSummary {
        switch try FeedSource(argument) {
        case let .file(path):
            return try reader.read(atPath: path, onItem: onItem)
        case let .http(url):
            guard let fetcher else { throw FetchError.invalidURL(url) }
            switch try await fetcher.fetchSerially(.http(url: url), onItem: onItem) {
            case let .fetched(feed): return feed.summary
            case .notModified: throw FetchError.transport(url: url, detail: "HTTP 304 Not Modified to an unconditional request")
            case let .retryLater(until):
                throw FetchError.transport(url: url, detail: "the server asks to retry after \(FeedDate.iso8601(until))")
            }
        }
    }

    /// The whole feed, items held in memory.
    func readFeed(_ argument: String) async throws -> Feed {
        var items: [FeedItem] = []
        let summary = try await read(argument) { items.append($0) }
        return Feed(header: summary.header, items: items, warnings: summary.warnings)
    }
}
