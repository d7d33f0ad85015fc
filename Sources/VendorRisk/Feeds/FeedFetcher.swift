import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Reads feeds wherever they are: local files through `FeedReader`, http(s) URLs through
/// async-http-client, every body streamed into the push parser as it arrives.
///
/// One fetcher holds one `HTTPClient` (plus one per configured proxy, since `NO_PROXY` is decided
/// per request and a client has one proxy); call `shutdown()` when done, or use `withFetcher`.
/// Redirects are followed here rather than by the client so that the final URL is known (it is
/// the base for relative links) and loops are reported as such.
public final class FeedFetcher: Sendable {
    public let options: FetchOptions
    private let proxy: ProxySettings
    private let direct: HTTPClient
    private let proxied: [ProxySettings.Server: HTTPClient]
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - proxy: proxies to use; `.fromEnvironment()` reads `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`.
    ///   - now: the clock that `Retry-After` delays count from.
    public init(options: FetchOptions = .init(), proxy: ProxySettings = .fromEnvironment(),
                logger: Logger = FeedFetcher.silentLogger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.options = options
        self.proxy = proxy
        self.logger = logger
        self.now = now
        direct = Self.makeClient(options, proxy: nil)
        var proxied: [ProxySettings.Server: HTTPClient] = [:]
        for server in [proxy.http, proxy.https].compactMap({ $0 }) where proxied[server] == nil {
            proxied[server] = Self.makeClient(options, proxy: server)
        }
        self.proxied = proxied
    }

    /// Runs `body` with a new fetcher and shuts it down afterwards, whether `body` threw or not.
    public static func withFetcher<R>(
        options: FetchOptions = .init(), proxy: ProxySettings = .fromEnvironment(),
        logger: Logger = FeedFetcher.silentLogger, now: @escaping @Sendable () -> Date = { Date() },
        isolation: isolated (any Actor)? = #isolation,
        _ body: (FeedFetcher) async throws -> R
    ) async throws -> R {
        let fetcher = FeedFetcher(options: options, proxy: proxy, logger: logger, now: now)
        let result: Result<R, any Error>
        do { result = .success(try await body(fetcher)) } catch { result = .failure(error) }
        try await fetcher.shutdown()
        return try result.get()
    }

    /// Closes every connection; the fetcher cannot be used afterwards. Must be called before the
    /// fetcher is released (async-http-client checks this in debug builds).
    public func shutdown() async throws {
        try await direct.shutdown()
        for client in proxied.values { try await client.shutdown() }
    }

    /// A logger that drops everything, for callers that pass none.
    public static let silentLogger = Logger(label: "vendor-risk.fetch", factory: { _ in SwiftLogNoOpLogHandler() })

    // MARK: - Fetching

    /// Reads one feed, handing each item to `onItem` as soon as it is parsed.
    ///
    /// Files ignore `validators` (the caller compares size, time and hash itself). Throws only
    /// `FetchError`.
    public func fetch(_ source: FeedSource, validators: FeedValidators = .init(),
                      onItem: @escaping @Sendable (FeedItem) -> Void) async throws(FetchError) -> FetchOutcome {
        switch source {
        case let .file(path): try readFile(path, onItem: onItem)
        case let .http(url): try await fetchHTTP(url, validators: validators, onItem: onItem)
        }
    }

    /// Reads every feed of `requests` with at most `maxConcurrent` in flight; the outcomes come
    /// back in the order of `requests`. `onItem` gets the index of the request with each item
    /// and is called from several tasks at once.
    public func fetchAll(_ requests: [FetchRequest], maxConcurrent: Int,
                         onItem: @escaping @Sendable (_ index: Int, _ item: FeedItem) -> Void) async -> [Result<FetchOutcome, FetchError>] {
        await BoundedConcurrency.map(Array(requests.enumerated()), limit: maxConcurrent) { entry in
            let (index, request) = entry
            do throws(FetchError) {
                return .success(try await self.fetch(request.source, validators: request.validators) { onItem(index, $0) })
            } catch {
                return .failure(error)
            }
        }
    }

    private func readFile(_ path: String, onItem: @escaping @Sendable (FeedItem) -> Void) throws(FetchError) -> FetchOutcome {
        do {
            let summary = try FeedReader(options: options.reader).read(atPath: path, onItem: onItem)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return .fetched(FetchedFeed(summary: summary, validators: .init(), finalURL: path, bytes: size))
        } catch let error as FeedError {
            throw .feed(error)
        } catch {
            throw .feed(.unreadable(path: path, reason: "\(error)"))
        }
    }

    /// Races the exchange against the deadline. async-http-client's own deadline stops at the
    /// response head, so a server that drips its body a byte at a time would otherwise hold the
    /// fetch for as long as it likes.
    private func fetchHTTP(_ url: String, validators: FeedValidators,
                           onItem: @escaping @Sendable (FeedItem) -> Void) async throws(FetchError) -> FetchOutcome {
        let limit = options.deadline
        do {
            return try await withThrowingTaskGroup(of: FetchOutcome?.self) { group in
                group.addTask { try await self.exchange(url, validators: validators, onItem: onItem) }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let outcome = first else {
                    throw FetchError.deadline(url: url, seconds: limit.seconds)
                }
                return outcome
            }
        } catch let error as FetchError {
            throw error
        } catch is CancellationError {
            throw .cancelled(url: url)
        } catch {
            throw FetchErrorMapping.map(error, url: url, options: options)
        }
    }

    /// Requests `start`, following redirects by hand, and reads the final body.
    private func exchange(_ start: String, validators: FeedValidators,
                          onItem: @escaping @Sendable (FeedItem) -> Void) async throws -> FetchOutcome {
        let deadline = NIODeadline.now() + TimeAmount(options.deadline)
        var current = start
        var visited: Set<String> = [Self.withoutFragment(start)]
        var redirects = 0
        while true {
            try Task.checkCancellation()
            let request = try makeRequest(current, feed: start, validators: validators)
            let response: HTTPClientResponse
            do {
                response = try await client(for: request.url).execute(request, deadline: deadline, logger: logger)
            } catch {
                throw FetchErrorMapping.map(error, url: start, options: options)
            }
            let status = Int(response.status.code)
            logger.debug("fetched head", metadata: ["url": "\(current)", "status": "\(status)"])
            switch status {
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "location"), !location.isEmpty else {
                    throw FetchError.badRedirect(url: start, location: nil)
                }
                let target = URLResolver.resolve(location, against: current)
                guard let scheme = FeedSource.scheme(of: target)?.lowercased(), scheme == "http" || scheme == "https" else {
                    throw FetchError.badRedirect(url: start, location: location)
                }
                let key = Self.withoutFragment(target)
                if visited.contains(key) { throw FetchError.redirectLoop(url: start, target: key) }
                redirects += 1
                if redirects > options.maxRedirects { throw FetchError.tooManyRedirects(url: start, limit: options.maxRedirects) }
                visited.insert(key)
                current = target
            case 304:
                let fresh = Self.validators(of: response)
                return .notModified(FeedValidators(etag: fresh.etag ?? validators.etag,
                                                   lastModified: fresh.lastModified ?? validators.lastModified))
            case 200...299:
                return .fetched(try await read(response, feed: start, documentURL: Self.withoutFragment(current), onItem: onItem))
            case 429, 503:
                let received = now()
                let header = response.headers.first(name: "retry-after")
                if let until = RetryAfter.until(header, now: received, maximum: options.maxRetryAfter) {
                    return .retryLater(until: until)
                }
                // A 503 without Retry-After is an outage like any other 5xx; a 429 always asks
                // the client to slow down, so it is skipped for the default time.
                if status == 429 { return .retryLater(until: received.addingTimeInterval(options.defaultRetryAfter.seconds)) }
                throw FetchError.httpStatus(url: start, status: status, reason: response.status.reasonPhrase)
            default:
                throw FetchError.httpStatus(url: start, status: status, reason: response.status.reasonPhrase)
            }
        }
    }

    /// Streams the body into the feed reader; the count of decompressed bytes is checked here as
    /// well as in the reader, so the cap holds whoever reports it first.
    private func read(_ response: HTTPClientResponse, feed: String, documentURL: String,
                      onItem: @escaping @Sendable (FeedItem) -> Void) async throws -> FetchedFeed {
        let limit = options.maxFeedBytes
        var received = 0
        do {
            let parser = try FeedStreamParser(source: feed, documentURL: documentURL, options: options.reader, onItem: onItem)
            do {
                for try await buffer in response.body {
                    received += buffer.readableBytes
                    if received > limit { throw FetchError.tooLarge(url: feed, limit: limit) }
                    try buffer.withUnsafeReadableBytes { raw in
                        try parser.consume(raw.assumingMemoryBound(to: UInt8.self))
                    }
                    try Task.checkCancellation()
                }
            } catch let error as FeedError {
                throw error
            } catch let error as FetchError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw FetchErrorMapping.map(error, url: feed, options: options, midBody: true)
            }
            let summary = try parser.finish()
            return FetchedFeed(summary: summary, validators: Self.validators(of: response), finalURL: documentURL, bytes: received)
        } catch let error as FeedError {
            switch error {
            case .tooLarge: throw FetchError.tooLarge(url: feed, limit: limit)
            case .empty: throw FetchError.feed(.notXML(path: feed, detail: "empty response body"))
            default: throw FetchError.feed(error)
            }
        }
    }

    private func makeRequest(_ url: String, feed: String, validators: FeedValidators) throws -> HTTPClientRequest {
        guard let parsed = URL(string: url), let host = parsed.host, !host.isEmpty else {
            throw FetchError.invalidURL(url == feed ? feed : "\(feed) → \(url)")
        }
        var request = HTTPClientRequest(url: Self.withoutFragment(url))
        request.method = .GET
        request.headers.add(name: "User-Agent", value: options.userAgent)
        request.headers.add(name: "Accept", value: Self.accept)
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        if let etag = validators.etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let lastModified = validators.lastModified { request.headers.add(name: "If-Modified-Since", value: lastModified) }
        return request
    }

    private static let accept = "application/rss+xml, application/atom+xml, application/rdf+xml, "
        + "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

    private func client(for url: String) -> HTTPClient {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host,
              let server = proxy.server(scheme: scheme, host: host) else { return direct }
        return proxied[server] ?? direct
    }

    private static func validators(of response: HTTPClientResponse) -> FeedValidators {
        FeedValidators(etag: response.headers.first(name: "etag"),
                       lastModified: response.headers.first(name: "last-modified"))
    }

    static func withoutFragment(_ url: String) -> String {
        guard let hash = url.firstIndex(of: "#") else { return url }
        return String(url[..<hash])
    }

    private static func makeClient(_ options: FetchOptions, proxy: ProxySettings.Server?) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: TimeAmount(options.connectTimeout))
        // Fail at once when a host refuses or does not resolve: a feed reader has other feeds to
        // read, and the next run tries again.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, options.maxConnectionsPerHost)
        // zlib stops at the cap on the decompressed stream (a bomb never fills memory); the
        // reader and `read` count the same bytes again.
        configuration.decompression = .enabled(limit: .size(options.maxFeedBytes))
        if let proxy {
            switch proxy.kind {
            case .http:
                let authorization = proxy.username.map {
                    HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "")
                }
                configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
            case .socks5:
                configuration.proxy = .socksServer(host: proxy.host, port: proxy.port)
            }
        }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}

/// One feed for `FeedFetcher.fetchAll`: where it is and the validators stored for it.
public struct FetchRequest: Sendable, Equatable {
    public var source: FeedSource
    public var validators: FeedValidators

    public init(source: FeedSource, validators: FeedValidators = .init()) {
        self.source = source
        self.validators = validators
    }
}
