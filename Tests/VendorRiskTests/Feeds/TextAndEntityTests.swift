import Testing
@testable import VendorRisk

@Suite("Text fields: entities, HTML, white space")
struct TextAndEntityTests {
    @Test("undeclared HTML entities are decoded in XML text")
    func undeclaredEntities() throws {
        let feed = try parseFeed(rss("<item><title>Caf&eacute; &amp; cr&egrave;me</title><description>costs &euro;5&nbsp;&ldquo;cheap&rdquo;</description></item>"))
        #expect(feed.items[0].title == "Café & crème")
        #expect(feed.items[0].summary == "costs €5 “cheap”")
    }

    @Test("references survive after a well-formedness error (libxml2 drops them in recover mode)")
    func referencesAfterError() throws {
        let feed = try parseFeed(rss("<item><title>a</b></title></item><item><title>x &amp; y &lt;z&gt;</title></item>"))
        #expect(feed.items.last?.title == "x & y")
    }

    @Test("a bare ampersand is text")
    func bareAmpersand() throws {
        let feed = try parseFeed(rss("<item><title>AT&T deal</title><link>http://example.com/?a=1&b=2</link></item>"))
        #expect(feed.items[0].title == "AT&T deal")
        #expect(feed.items[0].link == "http://example.com/?a=1&b=2")
    }

    @Test("CDATA and escaped HTML become the same plain text")
    func cdataAndEscaped() throws {
        let feed = try parseFeed(rss("""
            <item><title>a</title><description><![CDATA[<p>Hello <b>world</b></p>]]></description></item>
            <item><title>b</title><description>&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;</description></item>
            """))
        #expect(feed.items[0].summary == "Hello world")
        #expect(feed.items[1].summary == "Hello world")
    }

    @Test("double-escaped HTML is detected")
    func doubleEscaped() throws {
        let feed = try parseFeed(rss("<item><title>a</title><description>&amp;lt;p&amp;gt;Hello&amp;lt;/p&amp;gt;</description></item>"))
        #expect(feed.items[0].summary == "Hello")
    }

    @Test("a tag shown on purpose is kept")
    func intentionalTag() throws {
        let feed = try parseFeed(rss("<item><title>a</title><description><![CDATA[<code>&lt;br /></code>]]></description></item>"))
        #expect(feed.items[0].summary == "<br />")
    }

    @Test("scripts and styles are dropped; paragraphs and line breaks are kept")
    func structure() throws {
        let html = "<![CDATA[<style>p{}</style><p>One  two</p><script>alert(1)</script><div>Three<br/>Four</div><ul><li>a</li><li>b</li></ul>]]>"
        let feed = try parseFeed(rss("<item><title>a</title><description>\(html)</description></item>"))
        #expect(feed.items[0].summary == "One two\n\nThree\nFour\n\na\n\nb")
        #expect(TextFolding.folded(feed.items[0].summary) == "One two Three Four a b")
    }

    @Test("a '<' that starts no tag is text")
    func lessThan() {
        let text = HTMLText(entities: EntityTable()).plainText(Array("a < b and c<3".utf8))
        #expect(text == "a < b and c<3")
    }

    @Test("white space, NBSP included, folds to single spaces")
    func whitespace() throws {
        let feed = try parseFeed(rss("<item><title>  Acme\u{00A0}\u{00A0}Corp\n\t wins  </title></item>"))
        #expect(feed.items[0].title == "Acme Corp wins")
    }

    @Test("blank lines in plain text are paragraph breaks")
    func plainParagraphs() throws {
        let feed = try parseFeed(rss("<item><title>a</title><description>First line\ncontinues.\n\nSecond paragraph.</description></item>"))
        #expect(feed.items[0].summary == "First line continues.\n\nSecond paragraph.")
    }

    @Test("numeric references in the Windows-1252 range mean what browsers show")
    func windows1252References() throws {
        let feed = try parseFeed(rss("<item><title>It&#146;s &#150; fine</title></item>"))
        #expect(feed.items[0].title == "It’s – fine")
    }

    @Test("entities declared in the internal subset are expanded")
    func internalSubset() throws {
        let feed = try parseFeed("""
            <!DOCTYPE rss [<!ENTITY co "Acme Corporation">]>
            <rss version="2.0"><channel><title>t</title><item><title>&co; news</title></item></channel></rss>
            """)
        #expect(feed.items[0].title == "Acme Corporation news")
    }
}
