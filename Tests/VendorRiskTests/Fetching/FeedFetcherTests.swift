import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import VendorRisk

/// Items handed over by the fetcher, from whichever task parsed them.
final class ItemCollector: Sendable {
    private let box = NIOLockedValueBox<[FeedItem]>([])
    func add(_ item: FeedItem) { box.withLockedValue { $0.append(item) } }
    var items: [FeedItem] { box.withLockedValue { $0 } }
}

/// Fetches `url` with a fetcher of its own (no proxy) and returns the outcome and the items.
func fetch(_ url: String, options: FetchOptions = .init(), validators: FeedValidators = .init(),
           now: @escaping @Sendable () -> Date = { Date() }) async throws -> (Result<FetchOutcome, FetchError>, [FeedItem]) {
    let collector = ItemCollector()
    let result = try await FeedFetcher.withFetcher(options: options, proxy: .none, now: now) { fetcher in
        do throws(FetchError) {
            return Result<FetchOutcome, FetchError>.success(
                try await fetcher.fetch(FeedSource(url), validators: validators) { collector.add($0) })
        } catch {
            return .failure(error)
        }
    }
    return (result, collector.items)
}

let sampleFeed = """
    <?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0"><channel><title>Loopback news</title><link>/</link>
    <item><title>First story</title><link>/news/1</link><guid isPermaLink="false">a1</guid></item>
    <item><title>Second story</title><link>news/2</link><guid isPermaLink="false">a2</guid></item>
    </channel></rss>
    """

private let fixedNow = Date(timeIntervalSince1970: 1_750_000_000)

@Suite("Fetching feeds over HTTP from a loopback server")
struct FeedFetcherTests {
    @Test("a 200 response is parsed as it streams, with the tool's headers sent and validators returned")
    func okResponse() async throws {
        try await TestHTTPServer.with({ _ in
            .send(sampleFeed, headers: [("Content-Type", "application/rss+xml"), ("ETag", "\"v1\""),
                                        ("Last-Modified", "Tue, 03 Jun 2025 10:00:00 GMT")])
        }) { server in
            let (result, items) = try await fetch(server.url("/feed.xml"))
            guard case let .success(.fetched(feed)) = result else {
                Issue.record("expected a fetched feed, got \(result)")
                return
            }
            #expect(items.map(\.title) == ["First story", "Second story"])
            #expect(feed.summary.itemCount == 2)
            #expect(feed.validators == FeedValidators(etag: "\"v1\"", lastModified: "Tue, 03 Jun 2025 10:00:00 GMT"))
            let request = try #require(server.requests.first)
            #expect(request.headers.first(name: "user-agent") == "vendor-risk/\(VendorRiskInfo.version)")
            #expect(request.headers.first(name: "accept-encoding") == "gzip, deflate")
            #expect(request.headers.first(name: "if-none-match") == nil)
        }
    }

    @Test("a conditional request carries the stored validators and a 304 means not modified")
    func notModified() async throws {
        try await TestHTTPServer.with({ request in
            request.headers.first(name: "if-none-match") == "\"v1\""
                ? .send(status: .notModified, headers: [("ETag", "\"v1\"")])
                : .send(sampleFeed)
        }) { server in
            let stored = FeedValidators(etag: "\"v1\"", lastModified: "Tue, 03 Jun 2025 10:00:00 GMT")
            let (result, items) = try await fetch(server.url("/feed.xml"), validators: stored)
            #expect(result == .success(.notModified(stored)))
            #expect(items.isEmpty)
            let request = try #require(server.requests.first)
            #expect(request.headers.first(name: "if-none-match") == "\"v1\"")
            #expect(request.headers.first(name: "if-modified-since") == "Tue, 03 Jun 2025 10:00:00 GMT")
        }
    }

    @Test("a 500 is a failure that names the URL and the status")
    func serverError() async throws {
        try await TestHTTPServer.with({ _ in .send("oops", status: .internalServerError) }) { server in
            let url = server.url("/broken")
            let (result, _) = try await fetch(url)
            #expect(result == .failure(.httpStatus(url: url, status: 500, reason: "Internal Server Error")))
            if case let .failure(error) = result {
                #expect(error.description == "\(url): HTTP 500 Internal Server Error")
            }
        }
    }

    @Test("a 429 with Retry-After in seconds is skipped until then")
    func tooManyRequestsSeconds() async throws {
        try await TestHTTPServer.with({ _ in .send("slow down", status: .tooManyRequests, headers: [("Retry-After", "120")]) }) { server in
            let (result, _) = try await fetch(server.url("/feed"), now: { fixedNow })
            #expect(result == .success(.retryLater(until: fixedNow.addingTimeInterval(120))))
        }
    }

    @Test("a 503 with Retry-After as an HTTP date is skipped until that date")
    func unavailableDate() async throws {
        try await TestHTTPServer.with({ _ in
            .send("maintenance", status: .serviceUnavailable, headers: [("Retry-After", "Sun, 15 Jun 2025 16:00:00 GMT")])
        }) { server in
            let (result, _) = try await fetch(server.url("/feed"), now: { fixedNow })
            let expected = try #require(FeedDate.parse("Sun, 15 Jun 2025 16:00:00 GMT"))
            #expect(result == .success(.retryLater(until: expected)))
        }
    }

    @Test("a 429 without Retry-After waits the default; a 503 without it is a failure")
    func retryDefaults() async throws {
        try await TestHTTPServer.with({ request in
            request.path == "/429" ? .send("", status: .tooManyRequests) : .send("", status: .serviceUnavailable)
        }) { server in
            let (limited, _) = try await fetch(server.url("/429"), now: { fixedNow })
            #expect(limited == .success(.retryLater(until: fixedNow.addingTimeInterval(3600))))
            let (down, _) = try await fetch(server.url("/503"), now: { fixedNow })
            #expect(down == .failure(.httpStatus(url: server.url("/503"), status: 503, reason: "Service Unavailable")))
        }
    }

    @Test("a redirect chain is followed and relative links resolve against the final URL")
    func redirectChain() async throws {
        try await TestHTTPServer.with({ request in
            switch request.path {
            case "/old": .send(status: .movedPermanently, headers: [("Location", "/middle")])
            case "/middle": .send(status: .found, headers: [("Location", "/feeds/current.xml")])
            default: .send(sampleFeed)
            }
        }) { server in
            let (result, items) = try await fetch(server.url("/old"))
            guard case let .success(.fetched(feed)) = result else {
                Issue.record("expected a fetched feed, got \(result)")
                return
            }
            #expect(feed.finalURL == server.url("/feeds/current.xml"))
            #expect(items.map(\.link) == [server.url("/news/1"), server.url("/feeds/news/2")])
            #expect(server.requests.map(\.path) == ["/old", "/middle", "/feeds/current.xml"])
        }
    }

    @Test("a redirect loop is an error")
    func redirectLoop() async throws {
        try await TestHTTPServer.with({ request in
            .send(status: .found, headers: [("Location", request.path == "/a" ? "/b" : "/a")])
        }) { server in
            let (result, _) = try await fetch(server.url("/a"))
            #expect(result == .failure(.redirectLoop(url: server.url("/a"), target: server.url("/a"))))
            #expect(server.requests.count == 2)
        }
    }

    @Test("more than five redirects is an error")
    func tooManyRedirects() async throws {
        try await TestHTTPServer.with({ request in
            let hop = Int(request.path.dropFirst()) ?? 0
            return .send(status: .temporaryRedirect, headers: [("Location", "/\(hop + 1)")])
        }) { server in
            let (result, _) = try await fetch(server.url("/0"))
            #expect(result == .failure(.tooManyRedirects(url: server.url("/0"), limit: 5)))
            #expect(server.requests.count == 6)
        }
    }

    @Test("a body that drips past the deadline fails at the deadline")
    func slowDrip() async throws {
        // 200 bytes, one every 50 ms: the whole body would take 10 s; the deadline is 1 s. The
        // bounds are far from both (the tests share two busy cores: a fetch that should take
        // 1 s took 3.2 s once with a bound of 2.5 s).
        let body = Array(sampleFeed.utf8.prefix(200))
        #expect(body.count == 200)
        try await TestHTTPServer.with({ _ in
            .drip(headers: [("Content-Type", "application/rss+xml")], body: body, interval: .milliseconds(50))
        }) { server in
            var options = FetchOptions()
            options.deadline = .seconds(1)
            let clock = ContinuousClock()
            let start = clock.now
            let (result, _) = try await fetch(server.url("/drip"), options: options)
            let elapsed = clock.now - start
            #expect(result == .failure(.deadline(url: server.url("/drip"), seconds: 1)))
            #expect(elapsed < .seconds(5))
            #expect(server.bodyBytesSent < 100)
        }
    }

    @Test("a gzip bomb is refused at the size cap without inflating it")
    func gzipBomb() async throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/bomb-64MiB.xml.gz")
        let bomb = try [UInt8](Data(contentsOf: fixture))
        try await TestHTTPServer.with({ _ in
            .send(status: .ok, headers: [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")], body: bomb)
        }) { server in
            let options = FetchOptions(maxFeedBytes: 1 << 20)
            let (result, _) = try await fetch(server.url("/bomb"), options: options)
            #expect(result == .failure(.tooLarge(url: server.url("/bomb"), limit: 1 << 20)))
        }
    }

    @Test("a gzip-compressed feed is decompressed and parsed")
    func gzipFeed() async throws {
        let compressed = try gzipFixture()
        try await TestHTTPServer.with({ _ in
            .send(status: .ok, headers: [("Content-Encoding", "gzip")], body: compressed)
        }) { server in
            let (result, items) = try await fetch(server.url("/feed.gz"))
            guard case let .success(.fetched(feed)) = result else {
                Issue.record("expected a fetched feed, got \(result)")
                return
            }
            #expect(items.count == 3)
            #expect(feed.bytes > compressed.count)
        }
    }

    @Test("a 1 GB body generated on the fly stops at the size cap, early")
    func hugeStream() async throws {
        let prefix = Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Endless</title>".utf8)
        let unit = Array(("<item><title>More</title><description>" + String(repeating: "news ", count: 180)
                          + "</description></item>").utf8)
        try await TestHTTPServer.with({ _ in .generate(prefix: prefix, unit: unit, total: 1 << 30) }) { server in
            let options = FetchOptions(maxFeedBytes: 2 << 20)
            let (result, items) = try await fetch(server.url("/endless"), options: options)
            #expect(result == .failure(.tooLarge(url: server.url("/endless"), limit: 2 << 20)))
            #expect(items.count > 100)
            // The server writes only as the client reads: far less than 1 GB ever left it.
            #expect(server.bodyBytesSent < 64 << 20)
        }
    }

    @Test("an HTML page is not a feed")
    func htmlPage() async throws {
        try await TestHTTPServer.with({ _ in
            .send("<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>Hello</p></body></html>",
                  headers: [("Content-Type", "text/html")])
        }) { server in
            let url = server.url("/")
            let (result, _) = try await fetch(url)
            guard case let .failure(.feed(error)) = result else {
                Issue.record("expected a not-a-feed error, got \(result)")
                return
            }
            #expect(error.source == url)
            #expect(error.description.hasPrefix("\(url): not"))
        }
    }

    @Test("an empty 200 body is not a feed")
    func emptyBody() async throws {
        try await TestHTTPServer.with({ _ in .send("") }) { server in
            let (result, _) = try await fetch(server.url("/empty"))
            #expect(result == .failure(.feed(.notXML(path: server.url("/empty"), detail: "empty response body"))))
        }
    }

    @Test("a connection reset in the middle of the body is an error")
    func resetMidBody() async throws {
        try await TestHTTPServer.with({ _ in
            .reset(declaredLength: 100_000, partial: Array(sampleFeed.utf8.prefix(200)))
        }) { server in
            let (result, _) = try await fetch(server.url("/reset"))
            #expect(result == .failure(.connectionReset(url: server.url("/reset"))))
        }
    }

    @Test("a feed served with a wrong or no Content-Type still parses", arguments: ["text/html", "application/octet-stream", nil])
    func contentTypeIgnored(_ contentType: String?) async throws {
        try await TestHTTPServer.with({ _ in
            .send(sampleFeed, headers: contentType.map { [("Content-Type", $0)] } ?? [])
        }) { server in
            let (result, items) = try await fetch(server.url("/feed"))
            guard case .success(.fetched) = result else {
                Issue.record("expected a fetched feed, got \(result)")
                return
            }
            #expect(items.count == 2)
        }
    }

    @Test("a refused connection is a connection failure")
    func refused() async throws {
        // A port that was just free and is closed again: nothing listens there.
        let probe = try await TestHTTPServer.start { _ in .send("") }
        let url = probe.url("/feed")
        try await probe.stop()
        let (result, _) = try await fetch(url)
        guard case let .failure(.connectionFailed(failed, detail)) = result else {
            Issue.record("expected a connection failure, got \(result)")
            return
        }
        #expect(failed == url)
        #expect(detail.contains("refused"))
    }

    @Test("https to a server that does not speak TLS is a TLS error")
    func notTLS() async throws {
        try await TestHTTPServer.with({ _ in .send(sampleFeed) }) { server in
            let url = "https://127.0.0.1:\(server.port)/feed"
            var options = FetchOptions()
            options.deadline = .seconds(5)
            let (result, _) = try await fetch(url, options: options)
            guard case let .failure(.tls(_, detail)) = result else {
                Issue.record("expected a TLS error, got \(result)")
                return
            }
            #expect(detail == "WRONG_VERSION_NUMBER")
        }
    }

    @Test("fetchAll keeps the input order and reports each feed's own outcome")
    func fetchAllOrder() async throws {
        try await TestHTTPServer.with({ request in
            switch request.path {
            case "/bad": .send("", status: .notFound)
            case "/slow": .drip(headers: [], body: Array(sampleFeed.utf8), interval: .milliseconds(1))
            default: .send(sampleFeed)
            }
        }) { server in
            let paths = ["/slow", "/a", "/bad", "/b", "/c", "/slow", "/d"]
            let requests = try paths.map { FetchRequest(source: try FeedSource(server.url($0))) }
            let counts = NIOLockedValueBox<[Int: Int]>([:])
            let results = try await FeedFetcher.withFetcher(proxy: .none) { fetcher in
                await fetcher.fetchAll(requests, maxConcurrent: 3) { index, _ in counts.withLockedValue { $0[index, default: 0] += 1 } }
            }
            #expect(results.count == paths.count)
            for (index, path) in paths.enumerated() {
                switch (path, results[index]) {
                case ("/bad", .failure(.httpStatus(_, 404, _))): break
                case (_, .success(.fetched)) where path != "/bad":
                    #expect(counts.withLockedValue { $0[index] } == 2)
                default: Issue.record("\(path): unexpected \(results[index])")
                }
            }
        }
    }

    @Test("fetchBlocking and shutdownBlocking serve worker threads: items in order, outcome returned")
    func blockingBridge() async throws {
        try await TestHTTPServer.with({ _ in .send(sampleFeed) }) { server in
            let source = try FeedSource(server.url("/feed"))
            let titles = await withCheckedContinuation { (done: CheckedContinuation<[String], Never>) in
                Thread {
                    let fetcher = FeedFetcher(proxy: .none)
                    var titles: [String] = []
                    let outcome = try? fetcher.fetchBlocking(source) { titles.append($0.title ?? "") }
                    try? fetcher.shutdownBlocking()
                    if case .fetched = outcome { done.resume(returning: titles) } else { done.resume(returning: []) }
                }.start()
            }
            #expect(titles == ["First story", "Second story"])
        }
    }

    @Test("file:// URLs and paths are read from disk")
    func localFiles() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vendor-risk-fetch-\(UUID().uuidString).xml").path
        try sampleFeed.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for argument in [path, "file://" + path] {
            let (result, items) = try await fetch(argument)
            guard case .success(.fetched) = result else {
                Issue.record("\(argument): expected a fetched feed, got \(result)")
                continue
            }
            #expect(items.count == 2)
        }
        let (missing, _) = try await fetch(path + ".missing")
        guard case .failure(.feed(.unreadable)) = missing else {
            Issue.record("expected an unreadable file, got \(missing)")
            return
        }
    }
}

/// A gzip member holding a three-item feed (made once with Python's gzip module), so the happy
/// path of decompression is tested without a compressor in the test target.
func gzipFixture() throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/three-items.xml.gz")
    return try [UInt8](Data(contentsOf: url))
}
