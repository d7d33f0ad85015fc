import Crypto
import Foundation
import Testing
@testable import VendorRisk

@Suite struct ItemIdentityTests {
    /// The definition the stored hashes were made with: SHA-256 of the folded title, a line feed
    /// and the folded body, as strings.
    static func reference(_ item: FeedItem) -> String {
        let text = (TextFolding.folded(item.title) ?? "") + "\n" + (TextFolding.folded(item.content ?? item.summary) ?? "")
        return String(ItemIdentity.hex(SHA256.hash(data: Data(text.utf8))).prefix(32))
    }

    static let bodies: [String?] = [
        nil, "", "one line, no breaks,  two spaces kept",
        "Para one.\n\nPara two:  spaces\n \n and breaks fold.", "\n\n\nleading and trailing\n\n",
        "Zürich – “quoted” 東京\nsecond line",
        // Longer than the hashing block, with runs of breaks across its edges.
        String(repeating: "word \n\n  ", count: 900) + String(repeating: "x", count: 5000) + "\n end",
    ] + (0..<24).map { k in
        // Double spaces, space + line feed and lone line feeds at every offset of an eight-byte block.
        String(repeating: "a", count: k) + "sixteen letters  then\nsome words \nmore text   here\n\nend of it all " + String(repeating: "b", count: 24 - k)
    }

    @Test(arguments: bodies)
    func contentHashIsTheDigestOfTheFoldedText(body: String?) {
        for title in [nil, "Title", "Two\nlines  in a title"] as [String?] {
            let summaryOnly = FeedItem(title: title, summary: body)
            #expect(ItemIdentity.contentHash(summaryOnly) == Self.reference(summaryOnly))
            let withContent = FeedItem(title: title, summary: "teaser", content: body)
            #expect(ItemIdentity.contentHash(withContent) == Self.reference(withContent))
        }
    }

    /// Ids already stored must not change: the definition, on joined strings.
    @Test func idIsTheDigestOfSourceAndKey() {
        let date = Date(timeIntervalSince1970: 1_760_000_000)
        let items = [
            FeedItem(id: "guid-1", title: "T", link: "https://x.example/a"),
            FeedItem(title: "T", link: "https://x.example/a"),
            FeedItem(title: "Zürich – “T”", published: date),
            FeedItem(),
        ]
        for item in items {
            let key = item.id ?? item.link ?? "\(item.title ?? "")\u{1}\(item.published.map(FeedDate.iso8601) ?? "")"
            let expected = String(ItemIdentity.hex(SHA256.hash(data: Data("feeds/a.xml\n\(key)".utf8))).prefix(32))
            #expect(ItemIdentity.id(source: "feeds/a.xml", item: item) == expected)
        }
        #expect(ItemIdentity.hex([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(ItemIdentity.hex([0x00, 0xAB, 0xFF], digits: 4) == "00ab")
    }

    @Test func whiteSpaceAndParagraphBreaksDoNotChangeTheHash() {
        let a = FeedItem(title: "T", summary: "First para.\n\nSecond para.")
        let b = FeedItem(title: "T", summary: "First para. Second para.")
        let c = FeedItem(title: "T", summary: "First para. Second story.")
        #expect(ItemIdentity.contentHash(a) == ItemIdentity.contentHash(b))
        #expect(ItemIdentity.contentHash(a) != ItemIdentity.contentHash(c))
    }

    @Test("a file's digest, read in pieces, is the XXH3-128 of its bytes")
    func fileDigest() throws {
        // Reference values from xxHash's own XXH3_128bits (canonical form).
        func digest(_ s: String) -> String { Array(s.utf8).withUnsafeBytes { FileDigest.hexDigest(of: $0) } }
        #expect(digest("") == "xxh3:99aa06d3014798d86001c324468d497f")
        #expect(digest("abc") == "xxh3:06b05ab6733a618578af5f94892f3950")
        #expect(digest("The quick brown fox jumps over the lazy dog") == "xxh3:ddd650205ca3e7fa24a1cc2e3a8a7651")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vr-filehash-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Small, and across several 64 KiB pieces with a partial last one.
        var seen: Set<String> = []
        for size in [10, 64 << 10, (200 << 10) + 7] {
            let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
            let url = dir.appendingPathComponent("f\(size)")
            try bytes.write(to: url)
            let streamed = try #require(FeedIngest.digest(ofFileAt: url.path))
            #expect(streamed == bytes.withUnsafeBytes { FileDigest.hexDigest(of: $0) })
            seen.insert(streamed)
        }
        #expect(seen.count == 3)
        #expect(FeedIngest.digest(ofFileAt: dir.appendingPathComponent("missing").path) == nil)
        // An empty file is no feed: never taken for an unchanged one.
        try Data().write(to: dir.appendingPathComponent("empty"))
        #expect(FeedIngest.digest(ofFileAt: dir.appendingPathComponent("empty").path) == nil)
    }
}
