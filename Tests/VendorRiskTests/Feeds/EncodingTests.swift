import Testing
@testable import VendorRisk

@Suite("Encodings")
struct EncodingTests {
    private let body = "<rss version=\"2.0\"><channel><title>Köln</title><item><title>Grüße €</title></item></channel></rss>"

    private func utf16LE(_ s: String, bom: Bool) -> [UInt8] {
        var out: [UInt8] = bom ? [0xFF, 0xFE] : []
        for unit in s.utf16 { out.append(UInt8(unit & 0xFF)); out.append(UInt8(unit >> 8)) }
        return out
    }

    @Test("UTF-8 with and without a BOM")
    func utf8() throws {
        let plain = try parseFeed(bytes: Array(body.utf8))
        let bom = try parseFeed(bytes: [0xEF, 0xBB, 0xBF] + Array(body.utf8))
        #expect(plain.items[0].title == "Grüße €")
        #expect(bom.items[0].title == "Grüße €")
    }

    @Test("UTF-16 LE with a BOM, and without one")
    func utf16() throws {
        let decl = "<?xml version=\"1.0\" encoding=\"utf-16\"?>"
        #expect(try parseFeed(bytes: utf16LE(decl + body, bom: true)).items[0].title == "Grüße €")
        #expect(try parseFeed(bytes: utf16LE(decl + body, bom: false)).header.title == "Köln")
    }

    @Test("declared ISO-8859-1 is read (as its superset windows-1252)")
    func latin1() throws {
        let decl = Array("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><item><title>Gr".utf8)
        let bytes = decl + [0xFC, 0xDF, 0x65, 0x20, 0x80] + Array("</title></item></channel></rss>".utf8)
        #expect(try parseFeed(bytes: bytes).items[0].title == "Grüße €")
    }

    @Test("a declaration that lies about UTF-8 bytes is overruled, with a warning")
    func lyingDeclaration() throws {
        let feed = try parseFeed(bytes: Array(("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + body).utf8))
        #expect(feed.items[0].title == "Grüße €")
        #expect(feed.warnings.contains { $0.contains("UTF-8") })
    }

    @Test("undeclared legacy bytes fall back to windows-1252")
    func undeclaredLegacy() throws {
        let bytes = Array("<rss version=\"2.0\"><channel><item><title>caf".utf8) + [0xE9] + Array("</title></item></channel></rss>".utf8)
        #expect(try parseFeed(bytes: bytes).items[0].title == "café")
    }

    @Test("NUL bytes and invalid UTF-8 inside a UTF-8 feed do not lose the rest")
    func repairs() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><item><title>a\u{0}b ü".utf8)
            + [0xFF] + Array("</title></item><item><title>next</title></item></channel></rss>".utf8)
        let feed = try parseFeed(bytes: bytes)
        #expect(feed.items.count == 2)
        #expect(feed.items[0].title == "ab ü\u{FFFD}")
        #expect(feed.items[1].title == "next")
    }
}
