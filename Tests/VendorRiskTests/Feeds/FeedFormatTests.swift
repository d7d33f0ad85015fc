import Foundation
import Testing
@testable import VendorRisk

@Suite("Feed formats")
struct FeedFormatTests {
    @Test("RSS 2.0 fields, with dc: and content: modules")
    func rss20() throws {
        let feed = try parseFeed(rss("""
            <item>
              <title>Acme fails review</title>
              <link>http://example.com/a</link>
              <guid isPermaLink="false">tag:example.com,2024:1</guid>
              <description>Short &lt;b&gt;summary&lt;/b&gt;</description>
              <content:encoded><![CDATA[<p>First paragraph.</p><p>Second paragraph.</p>]]></content:encoded>
              <pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
              <dc:creator>Jane Reporter</dc:creator>
              <category>Security</category><category>Chips</category>
            </item>
            """))
        #expect(feed.header == FeedHeader(format: .rss20, title: "Test feed", link: "http://example.com/"))
        let item = try #require(feed.items.first)
        #expect(item.title == "Acme fails review")
        #expect(item.link == "http://example.com/a")
        #expect(item.id == "tag:example.com,2024:1")
        #expect(item.summary == "Short summary")
        #expect(item.content == "First paragraph.\n\nSecond paragraph.")
        #expect(item.author == "Jane Reporter")
        #expect(item.categories == ["Security", "Chips"])
        #expect(item.published.map(FeedDate.iso8601) == "2024-03-05T10:00:00Z")
    }

    @Test("RSS 0.91 is rss0.9x")
    func rss091() throws {
        let feed = try parseFeed("<rss version=\"0.91\"><channel><title>t</title><item><title>x</title></item></channel></rss>")
        #expect(feed.header.format == .rss09x)
        #expect(feed.items.count == 1)
    }

    @Test("RSS 1.0 (RDF) items outside the channel")
    func rdf() throws {
        let feed = try parseFeed("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                     xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="http://example.com/"><title>RDF feed</title><link>http://example.com/</link></channel>
              <item rdf:about="http://example.com/1"><title>One</title><link>http://example.com/1</link>
                <dc:date>2024-01-02T03:04:05Z</dc:date><description>Text</description></item>
            </rdf:RDF>
            """)
        #expect(feed.header.format == .rss10)
        #expect(feed.header.title == "RDF feed")
        #expect(feed.items.first?.title == "One")
        #expect(feed.items.first?.published.map(FeedDate.iso8601) == "2024-01-02T03:04:05Z")
    }

    @Test("Atom 1.0: typed text, alternate link, author, dates")
    func atom10() throws {
        let feed = try parseFeed("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Atom &amp;lt;b&amp;gt;news</title>
              <link rel="self" href="http://example.com/feed"/><link href="http://example.com/"/>
              <entry>
                <title type="text">History of the &lt;blink&gt; tag</title>
                <link rel="edit" href="http://example.com/edit/1"/>
                <link rel="alternate" type="text/html" href="http://example.com/1"/>
                <id>urn:uuid:1</id>
                <published>2024-01-01T00:00:00Z</published><updated>2024-01-02T00:00:00+01:00</updated>
                <author><name>Ann Author</name><email>ann@example.com</email></author>
                <summary type="html">&lt;p&gt;Summary&lt;/p&gt;</summary>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One &amp; two</p><p>Three</p></div></content>
                <category term="export"/>
                <source><title>Other feed</title><link href="http://other.example/"/></source>
              </entry>
            </feed>
            """)
        #expect(feed.header.format == .atom10)
        #expect(feed.header.title == "Atom news")
        #expect(feed.header.link == "http://example.com/")
        let item = try #require(feed.items.first)
        #expect(item.title == "History of the <blink> tag")
        #expect(item.link == "http://example.com/1")
        #expect(item.id == "urn:uuid:1")
        #expect(item.author == "Ann Author")
        #expect(item.summary == "Summary")
        #expect(item.content == "One & two\n\nThree")
        #expect(item.categories == ["export"])
        #expect(item.updated.map(FeedDate.iso8601) == "2024-01-01T23:00:00Z")
    }

    @Test("Atom 0.3: escaped and base64 modes")
    func atom03() throws {
        let feed = try parseFeed("""
            <feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title>
              <entry><title mode="escaped" type="text/html">&lt;i&gt;Escaped&lt;/i&gt;</title>
                <summary mode="base64" type="text/plain">QmFzZTY0IHRleHQ=</summary>
                <issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified>
                <link rel="alternate" type="text/html" href="http://example.com/old"/></entry>
            </feed>
            """)
        #expect(feed.header.format == .atom03)
        let item = try #require(feed.items.first)
        #expect(item.title == "Escaped")
        #expect(item.summary == "Base64 text")
        #expect(item.link == "http://example.com/old")
        #expect(item.published.map(FeedDate.iso8601) == "2004-01-01T00:00:00Z")
        #expect(item.updated.map(FeedDate.iso8601) == "2004-01-02T00:00:00Z")
    }

    @Test("a permalink guid stands in for a missing link; a non-permalink one does not")
    func guidFallback() throws {
        let feed = try parseFeed(rss("""
            <item><title>a</title><guid>http://example.com/perma</guid></item>
            <item><title>b</title><guid isPermaLink="false">http://example.com/not</guid></item>
            """))
        #expect(feed.items[0].link == "http://example.com/perma")
        #expect(feed.items[1].link == nil)
    }

    @Test("an RSS item's atom:link is its link when it has no <link>")
    func atomLinkInRSS() throws {
        let feed = try parseFeed(rss("<item><title>a</title><atom:link href=\"http://example.com/x\"/></item>"))
        #expect(feed.items[0].link == "http://example.com/x")
    }
}
