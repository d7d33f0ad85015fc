import Foundation
import Testing
@testable import VendorRisk

@Suite("Hostile input")
struct SecurityTests {
    private func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vendor-risk-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an external entity is never read")
    func externalEntity() throws {
        let canary = "CANARY-\(UUID().uuidString)"
        let secret = try temporaryFile("secret.txt", canary)
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://\(secret)">]>
            <rss version="2.0"><channel><title>t</title><item><title>a &xxe; b</title></item></channel></rss>
            """
        let feedPath = try temporaryFile("feed.xml", xml)
        let feed = try FeedReader().readFeed(atPath: feedPath)
        let everything = (feed.items.compactMap(\.title) + feed.warnings).joined(separator: " ")
        #expect(!everything.contains(canary))
        #expect(feed.items.count == 1)
    }

    @Test("an external DTD and parameter entities are never loaded")
    func externalDTD() throws {
        let canary = "CANARY-\(UUID().uuidString)"
        let secret = try temporaryFile("secret.txt", canary)
        let dtd = try temporaryFile("evil.dtd", "<!ENTITY leak SYSTEM \"file://\(secret)\">")
        let xml = """
            <!DOCTYPE rss SYSTEM "file://\(dtd)" [<!ENTITY % p SYSTEM "file://\(dtd)"> %p;]>
            <rss version="2.0"><channel><item><title>x &leak; y</title></item></channel></rss>
            """
        let feed = try FeedReader().readFeed(atPath: try temporaryFile("feed.xml", xml))
        #expect(!(feed.items.compactMap(\.title) + feed.warnings).joined().contains(canary))
    }

    @Test("billion laughs is refused quickly")
    func billionLaughs() throws {
        var decls = "<!ENTITY lol0 \"lol\">"
        for i in 1...9 { decls += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        let xml = "<!DOCTYPE rss [\(decls)]><rss version=\"2.0\"><channel><item><title>&lol9;</title></item></channel></rss>"
        let feed = try parseFeed(xml)
        #expect((feed.items.first?.title?.utf8.count ?? 0) < 1_000_000)
    }

    @Test("a quadratic blow-up stays within the field and expansion caps")
    func quadraticBlowup() throws {
        let big = String(repeating: "a", count: 100_000)
        let refs = String(repeating: "&big;", count: 2_000)
        let xml = "<!DOCTYPE rss [<!ENTITY big \"\(big)\">]><rss version=\"2.0\"><channel><item><title>x</title><description>\(refs)</description></item></channel></rss>"
        var options = FeedReaderOptions()
        options.maxFieldBytes = 1 << 20
        let feed = try parseFeed(xml, options: options)
        #expect((feed.items.first?.summary?.utf8.count ?? 0) <= 1 << 20)
        #expect(feed.warnings.contains { $0.contains("cut") || $0.contains("budget") })
    }

    @Test("deep nesting is ignored past the depth cap, not recursed into")
    func deepNesting() throws {
        let depth = 20_000
        let xml = rss("<item><title>deep</title>" + String(repeating: "<x>", count: depth) + String(repeating: "</x>", count: depth) + "</item>")
        let feed = try parseFeed(xml)
        #expect(feed.items.first?.title == "deep")
    }

    @Test("a feed over the size cap is refused before it is read")
    func sizeCap() throws {
        let path = try temporaryFile("big.xml", rss(String(repeating: "<item><title>x</title></item>", count: 1000)))
        #expect(throws: FeedError.self) { try FeedReader(options: FeedReaderOptions(maxFeedBytes: 1000)).readFeed(atPath: path) }
    }
}

@Suite("Broken input")
struct BrokenInputTests {
    @Test("a truncated feed keeps its complete items, with a warning")
    func truncated() throws {
        let items = (1...6).map { "<item><title>Item \($0)</title><link>http://example.com/\($0)</link></item>" }.joined()
        let xml = rss(items)
        let cut = String(xml.prefix(upTo: xml.range(of: "<item><title>Item 6")!.upperBound))
        let feed = try parseFeed(cut)
        #expect(feed.items.count >= 5)
        #expect(feed.items[4].link == "http://example.com/5")
        #expect(!feed.warnings.isEmpty)
    }

    @Test("an HTML page is not a feed")
    func htmlPage() {
        #expect(throws: FeedError.notAFeed(path: "test.xml", root: "html")) {
            try parseFeed("<html><head><title>x</title></head><body>hi</body></html>")
        }
    }

    @Test("binary garbage and empty input are errors naming the source")
    func garbage() {
        #expect(throws: FeedError.self) { try parseFeed(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }) }
        #expect(throws: FeedError.empty(path: "test.xml")) { try parseFeed(bytes: []) }
    }

    @Test("errors are one line that names the file")
    func messages() {
        let error = FeedError.notAFeed(path: "feeds/x.xml", root: "html")
        #expect(error.description.hasPrefix("feeds/x.xml: "))
        #expect(!error.description.contains("\n"))
    }
}
