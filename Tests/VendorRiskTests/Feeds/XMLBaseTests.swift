import Testing
@testable import VendorRisk

@Suite("Links and xml:base")
struct XMLBaseTests {
    @Test("RFC 3986 section 5.4 examples", arguments: [
        ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
        ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
        ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("..", "http://a/b/"), ("../g", "http://a/b/g"),
        ("../..", "http://a/"), ("../../../g", "http://a/g"), ("/./g", "http://a/g"), ("g.", "http://a/b/c/g."),
        ("g;x=1/../y", "http://a/b/c/y"), ("http:g", "http:g"), ("https://x.example/p", "https://x.example/p"),
    ])
    func rfc3986(_ reference: String, _ expected: String) {
        #expect(URLResolver.resolve(reference, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test("feed, entry and element xml:base stack")
    func stack() throws {
        let feed = try parseFeed("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.com/root/">
              <link href="index.html"/>
              <entry xml:base="entries/"><title>t</title><link href="one.html"/></entry>
              <entry><title>u</title><link xml:base="/abs/" href="two.html"/></entry>
            </feed>
            """)
        #expect(feed.header.link == "http://example.com/root/index.html")
        #expect(feed.items[0].link == "http://example.com/root/entries/one.html")
        #expect(feed.items[1].link == "http://example.com/abs/two.html")
    }

    @Test("the document's own URL is the outermost base")
    func documentURL() throws {
        let feed = try parseFeed(rss("<item><title>a</title><link>/story/1</link></item>"), documentURL: "https://news.example.com/feeds/rss")
        #expect(feed.items[0].link == "https://news.example.com/story/1")
    }

    @Test("a file path is no base: relative links stay relative")
    func noBaseForFiles() throws {
        let feed = try parseFeed(rss("<item><title>a</title><link>story/1</link></item>"), documentURL: "/tmp/feed.xml")
        #expect(feed.items[0].link == "story/1")
    }
}
