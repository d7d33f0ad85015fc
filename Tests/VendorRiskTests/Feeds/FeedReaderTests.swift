import Foundation
import Testing
@testable import VendorRisk

@Suite("Reading files")
struct FeedReaderTests {
    private func write(_ xml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vendor-risk-\(UUID().uuidString).xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private var manyItems: String {
        rss((1...500).map { i in
            "<item><title>Item \(i) &amp; more</title><link>http://example.com/\(i)</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Para \(i)&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;</description></item>"
        }.joined())
    }

    @Test("the two-thread reader gives the same items, in order, as the one-thread reader")
    func pipelineMatchesInline() throws {
        let path = try write(manyItems)
        var inline = FeedReaderOptions()
        inline.pipelineThreshold = Int.max
        var piped = FeedReaderOptions()
        piped.pipelineThreshold = 1
        let a = try FeedReader(options: inline).readFeed(atPath: path)
        let b = try FeedReader(options: piped).readFeed(atPath: path)
        #expect(a.items.count == 500)
        #expect(a == b)
        #expect(b.items[499].summary == "Para 500\n\nTwo")
    }

    @Test("a reader told to leave authors and categories unread gives every other field as one that reads them")
    func bylinesAndCategoriesLeftUnread() throws {
        let xml = rss("""
            <item><title>One</title><link>http://example.com/1</link><guid>g1</guid><author>a@example.com (Ann)</author>
            <dc:creator>Ann Lee</dc:creator><category>Chips</category><category>Trade</category>
            <pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Body&lt;/p&gt;</description>
            <content:encoded><![CDATA[<p>Full body</p>]]></content:encoded></item>
            """)
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
            <entry><title>Two</title><id>urn:2</id><author><name>Bo</name><email>b@example.com</email></author>
            <category term="Policy"/><updated>2024-03-05T10:00:00Z</updated><summary>S</summary></entry></feed>
            """
        var lean = FeedReaderOptions()
        lean.readsBylinesAndCategories = false
        for text in [xml, atom] {
            let full = try parseFeed(text)
            let read = try parseFeed(text, options: lean)
            #expect(full.items.allSatisfy { $0.author != nil && !$0.categories.isEmpty })
            #expect(read.items.allSatisfy { $0.author == nil && $0.categories.isEmpty })
            let stripped = full.items.map { item -> FeedItem in
                var item = item
                item.author = nil
                item.categories = []
                return item
            }
            #expect(read.items == stripped)
            #expect(read.header == full.header && read.warnings == full.warnings)
        }
    }

    /// The one-thread reader passes CDATA text beside libxml2 (`CDATASideChannel`), the two-thread
    /// reader through it: both must read every document alike, cut into chunks of any size.
    @Test("CDATA text passed beside libxml2 reads as CDATA passed through it", arguments: [
        // Line breaks of both kinds, brackets, non-ASCII, a control character, bad UTF-8.
        rss("<item><title><![CDATA[A ]] b ] c ]> d]]></title><description><![CDATA[<p>One\r\ntwo</p>\n<p>Zürich \u{1} x\u{FF}</p>]]></description></item>"),
        // An error after a section of several lines: its line number must not move.
        rss("<item><title>T</title><description><![CDATA[a\nb\nc\nd]]></description><bad attr=></item><item><title>U</title></item>"),
        // Sections that are empty, adjacent, or mixed with text and references.
        rss("<item><title><![CDATA[]]>Empty<![CDATA[]]></title><description>x &amp; <![CDATA[<b>y</b>]]><![CDATA[z]]> w</description></item>"),
        // Text that looks like a marker of some other key.
        rss("<item><title><![CDATA[\u{E000}0123456789abcdef0\n]]></title></item>"),
        // Entities declared by the DTD, CDATA among them: the channel stays out of it.
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY e \"<![CDATA[<i>in</i>]]>\">]><rss version=\"2.0\"><channel><title>C</title>"
            + "<item><title>&e; and <![CDATA[out]]></title></item></channel></rss>",
        // A section too long to hold, which goes on through libxml2 part way, then an error.
        rss("<item><title>Long</title><description><![CDATA[" + String(repeating: "a long line ] ]]\n", count: 20_000)
            + "]]></description><bad attr=></item>"),
        // A section the input ends in, and one before the root.
        rss("<item><title>Cut</title><description><![CDATA[never ends"),
        "<?xml version=\"1.0\"?><![CDATA[early]]><rss version=\"2.0\"><channel><title>C</title></channel></rss>",
        // Long element text goes beside libxml2 too: escaped HTML with references of every kind.
        rss("<item><title>T</title><description>" + escapedHTML + "</description></item>"),
        // Line breaks of both kinds and a lone CR (read as LF, counted as no line), then an error.
        rss("<item><description>" + escapedHTML + "\r\n" + escapedHTML + "\r" + escapedHTML + "\n&#13;\n"
            + escapedHTML + "</description><bad attr=></item>"),
        // Plain text, where a lone CR read as LF makes a paragraph.
        atom("<entry><title>T</title><summary type=\"text\">" + escapedHTML + "\r\r" + escapedHTML + "</summary></entry>"),
        // A "]]>" in text: an error libxml2 must see.
        rss("<item><description>" + escapedHTML + "]]>" + escapedHTML + "</description></item>"),
        // A tag with a ">" in an attribute, an empty tag, text after an end tag, in XHTML content.
        rss("<item><description note=\"a>b\" other='c'>" + escapedHTML + "<br/>" + escapedHTML + "</description></item>"),
        atom("<entry><title>T</title><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>"
            + escapedHTML + "</p>" + escapedHTML + "<b>" + escapedHTML + "</b></div></content></entry>"),
        // Text after a malformed tag, white space alone, and text after the root element.
        rss("<item><description><x =\"1\">" + escapedHTML + "</x></description><title>" + String(repeating: " \n", count: 200)
            + "</title></item>"),
        rss("<item><title>T</title></item>") + String(repeating: " ", count: 300) + escapedHTML + "<!-- c -->",
        rss("<item><title>T</title></item>") + "\n\n\n" + escapedHTML + "<!-- c -->",
        // A fatal error halts libxml2: the text and sections after it are never asked for.
        rss("<item><title>T</title></item>") + "<x>" + escapedHTML + "</x><![CDATA[" + escapedHTML + "]]><y>" + escapedHTML + "</y>",
        // Entities declared by the DTD: the text stays with libxml2.
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY e \"ent\">]><rss version=\"2.0\"><channel><title>C</title>"
            + "<item><description>&e; " + escapedHTML + "</description></item></channel></rss>",
    ])
    func cdataBesideLibxml2(xml: String) throws {
        func outcome(_ read: () throws -> Feed) -> String {
            do { return String(describing: try read()) } catch { return "error: \(error)" }
        }
        let path = try write(xml)
        var piped = FeedReaderOptions()
        piped.pipelineThreshold = 1
        let throughLibxml2 = outcome { try FeedReader(options: piped).readFeed(atPath: path) }
            .replacingOccurrences(of: path, with: "test.xml")
        for chunkSize in [3, 7, 300, 64 << 10] {
            var inline = FeedReaderOptions()
            inline.pipelineThreshold = Int.max
            inline.chunkSize = chunkSize
            let beside = outcome { try FeedReader(options: inline).parse(Array(xml.utf8), source: "test.xml") }
            #expect(beside == throughLibxml2, "chunks of \(chunkSize)")
        }
    }

    @Test("the two-thread reader reports a file that is not a feed")
    func pipelineFailure() throws {
        let path = try write("<html><body>" + String(repeating: "<p>x</p>", count: 1000) + "</body></html>")
        var piped = FeedReaderOptions()
        piped.pipelineThreshold = 1
        #expect(throws: FeedError.notAFeed(path: path, root: "html")) { try FeedReader(options: piped).readFeed(atPath: path) }
    }

    @Test("a missing file is an error naming it")
    func missing() {
        #expect(throws: FeedError.unreadable(path: "/nonexistent/feed.xml", reason: "No such file or directory")) {
            try FeedReader().readFeed(atPath: "/nonexistent/feed.xml")
        }
    }

    @Test("directories expand to their feed files, sorted")
    func directories() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vr-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ["b.xml", "a.rss", "sub/c.atom", "notes.txt"] {
            try "x".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let files = FeedPaths.expand([dir.path]).map { String($0.dropFirst(dir.path.count + 1)) }
        #expect(files == ["a.rss", "b.xml", "sub/c.atom"])
    }

    @Test("a directory walk takes hidden entries and links to files, not links to directories")
    func directoryWalk() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("vr-walk-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: dir) }
        for sub in ["t/sub/deeper", "t/.hidden", "t/d.xml", "outside"] {
            try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for name in ["t/a.xml", "t/B.RSS", "t/sub/c.atom", "t/sub/deeper/e.rdf", "t/.hidden/h.xml", "t/.dot.xml",
                     "t/.xml", "t/notes.txt", "outside/o.xml"] {
            try "x".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("t/linkdir").path, withDestinationPath: "../outside")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("t/link.xml").path, withDestinationPath: "a.xml")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("t/broken.xml").path, withDestinationPath: "missing")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("t/sublink.rss").path, withDestinationPath: "sub")
        let root = dir.appendingPathComponent("t").path
        let files = FeedPaths.files(in: root + "/").map { String($0.dropFirst(root.count + 1)) }
        #expect(files == [".dot.xml", ".hidden/h.xml", "B.RSS", "a.xml", "link.xml", "sub/c.atom", "sub/deeper/e.rdf"])
    }
}

/// Escaped HTML longer than a side-channel marker, with references of every kind the sanitizer
/// meets: predefined, decimal, hexadecimal, an HTML name, a bare ampersand; and non-ASCII text.
private let escapedHTML = "&lt;p&gt;Zürich &amp; Co&#8217;s &#x201C;quoted&#x201D; text&nbsp;AT&T &lt;b&gt;bold&lt;/b&gt; "
    + String(repeating: "words and more words ", count: 6) + "&lt;/p&gt;"

private func atom(_ entries: String) -> String {
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Test</title>\(entries)</feed>"
}
