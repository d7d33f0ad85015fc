@testable import VendorRisk

/// Parses an in-memory feed the way the CLI reads a file.
func parseFeed(_ xml: String, documentURL: String? = nil, options: FeedReaderOptions = .init()) throws -> Feed {
    try FeedReader(options: options).parse(Array(xml.utf8), source: "test.xml", documentURL: documentURL)
}

func parseFeed(bytes: [UInt8], options: FeedReaderOptions = .init()) throws -> Feed {
    try FeedReader(options: options).parse(bytes, source: "test.xml")
}

func rss(_ items: String, channel: String = "") -> String {
    """
    <?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
    <channel><title>Test feed</title><link>http://example.com/</link>\(channel)
    \(items)
    </channel></rss>
    """
}
