import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import VendorRisk

@Suite("Feed sources, proxies, Retry-After and bounded concurrency")
struct FetchSupportTests {
    @Test("paths and file URLs are files, http(s) URLs are fetched, other schemes are errors")
    func feedSources() throws {
        #expect(try FeedSource("Feeds/samples/a.xml") == .file(path: "Feeds/samples/a.xml"))
        #expect(try FeedSource("/tmp/notes:v2.xml") == .file(path: "/tmp/notes:v2.xml"))
        #expect(try FeedSource("file:///tmp/a%20b.xml") == .file(path: "/tmp/a b.xml"))
        #expect(try FeedSource("file://localhost/tmp/a.xml") == .file(path: "/tmp/a.xml"))
        #expect(try FeedSource("https://example.com/feed") == .http(url: "https://example.com/feed"))
        #expect(try FeedSource("HTTP://example.com/feed").isRemote)
        #expect(throws: FetchError.unsupportedScheme(source: "ftp://example.com/feed.xml", scheme: "ftp")) {
            try FeedSource("ftp://example.com/feed.xml")
        }
        #expect(throws: FetchError.unsupportedScheme(source: "feed://example.com/rss", scheme: "feed")) {
            try FeedSource("feed://example.com/rss")
        }
        #expect(throws: FetchError.invalidURL("http:///nohost")) { try FeedSource("http:///nohost") }
        #expect(throws: FetchError.invalidURL("file://otherhost/a.xml")) { try FeedSource("file://otherhost/a.xml") }
    }

    @Test("proxy variables: lowercase first, per scheme, ALL_PROXY as fallback, credentials kept")
    func proxyEnvironment() {
        let settings = ProxySettings.fromEnvironment([
            "http_proxy": "http://proxy.corp:3128", "HTTP_PROXY": "http://ignored:1",
            "ALL_PROXY": "socks5://socks.corp", "HTTPS_PROXY": "http://user:p%40ss@secure.corp:8443",
        ])
        #expect(settings.http == .init(host: "proxy.corp", port: 3128))
        #expect(settings.https == .init(host: "secure.corp", port: 8443, username: "user", password: "p@ss"))
        let fallback = ProxySettings.fromEnvironment(["all_proxy": "socks5://socks.corp"])
        #expect(fallback.http == .init(kind: .socks5, host: "socks.corp", port: 1080))
        #expect(ProxySettings.fromEnvironment(["HTTP_PROXY": "proxy.corp"]).http == .init(host: "proxy.corp", port: 1080))
        #expect(ProxySettings.fromEnvironment([:]) == .none)
    }

    @Test("NO_PROXY: domains with subdomains, exact IPs, CIDR blocks, *, and loopback always direct")
    func noProxy() {
        let proxy = ProxySettings.Server(host: "proxy.corp", port: 3128)
        let settings = ProxySettings.fromEnvironment([
            "https_proxy": "http://proxy.corp:3128", "http_proxy": "http://proxy.corp:3128",
            "NO_PROXY": "internal.example, .corp.example, 10.0.0.0/8, 192.168.1.5, intranet:8080",
        ])
        #expect(settings.server(scheme: "https", host: "feeds.example.org") == proxy)
        #expect(settings.server(scheme: "https", host: "internal.example") == nil)
        #expect(settings.server(scheme: "https", host: "news.internal.example") == nil)
        #expect(settings.server(scheme: "https", host: "notinternal.example") == proxy)
        #expect(settings.server(scheme: "http", host: "a.corp.example") == nil)
        #expect(settings.server(scheme: "http", host: "10.20.30.40") == nil)
        #expect(settings.server(scheme: "http", host: "11.0.0.1") == proxy)
        #expect(settings.server(scheme: "http", host: "192.168.1.5") == nil)
        #expect(settings.server(scheme: "http", host: "intranet") == nil)
        #expect(settings.server(scheme: "http", host: "127.0.0.1") == nil)
        #expect(settings.server(scheme: "http", host: "localhost") == nil)
        #expect(settings.server(scheme: "http", host: "[::1]") == nil)
        let everything = ProxySettings.fromEnvironment(["http_proxy": "http://proxy.corp:3128", "no_proxy": "*"])
        #expect(everything.server(scheme: "http", host: "feeds.example.org") == nil)
    }

    @Test("Retry-After: seconds, an HTTP date, a past date, a far date, garbage")
    func retryAfter() throws {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let week = Duration.seconds(7 * 86_400)
        #expect(RetryAfter.until("90", now: now, maximum: week) == now.addingTimeInterval(90))
        let date = try #require(FeedDate.parse("Sun, 15 Jun 2025 16:00:00 GMT"))
        #expect(RetryAfter.until("Sun, 15 Jun 2025 16:00:00 GMT", now: now, maximum: week) == date)
        #expect(RetryAfter.until("Sun, 06 Nov 1994 08:49:37 GMT", now: now, maximum: week) == now)
        #expect(RetryAfter.until("99999999999999999999", now: now, maximum: week) == now.addingTimeInterval(7 * 86_400))
        #expect(RetryAfter.until("soon", now: now, maximum: week) == nil)
        #expect(RetryAfter.until(nil, now: now, maximum: week) == nil)
    }

    @Test("bounded concurrency keeps the order and never runs more than the limit at once")
    func boundedMap() async {
        let gauge = NIOLockedValueBox<(now: Int, peak: Int)>((0, 0))
        let results = await BoundedConcurrency.map(Array(0..<40), limit: 4) { n in
            gauge.withLockedValue { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            try? await Task.sleep(for: .milliseconds(n % 3 == 0 ? 5 : 1))
            gauge.withLockedValue { $0.now -= 1 }
            return n * n
        }
        #expect(results == (0..<40).map { $0 * $0 })
        #expect(gauge.withLockedValue { $0.peak } <= 4)
        #expect(gauge.withLockedValue { $0.peak } > 1)
    }

    @Test("every fetch error is one line that names the feed")
    func errorLines() {
        let url = "https://feeds.example.org/rss"
        let errors: [FetchError] = [
            .dns(url: url, host: "feeds.example.org"), .tls(url: url, detail: "certificate expired"),
            .connectionFailed(url: url, detail: "connection refused"), .connectionReset(url: url),
            .httpStatus(url: url, status: 404, reason: "Not Found"), .redirectLoop(url: url, target: url),
            .tooManyRedirects(url: url, limit: 5), .badRedirect(url: url, location: nil),
            .deadline(url: url, seconds: 30), .tooLarge(url: url, limit: 50_000_000),
            .feed(.notAFeed(path: url, root: "html")), .unsupportedScheme(source: url, scheme: "gopher"),
            .invalidURL(url), .cancelled(url: url), .transport(url: url, detail: "odd"),
        ]
        for error in errors {
            #expect(error.description.hasPrefix(url + ": "))
            #expect(!error.description.contains("\n"))
            #expect(error.source == url)
        }
    }
}
