import Foundation

/// The syndication format a feed was written in, as the `parse` contract names it.
public enum FeedFormat: String, Sendable, Codable {
    case rss20 = "rss2.0"
    case rss10 = "rss1.0"
    case rss09x = "rss0.9x"
    case atom10 = "atom1.0"
    case atom03 = "atom0.3"
}

/// One entry of a feed, reduced to plain values.
///
/// Text fields are plain text: markup removed, entities decoded, white space inside a line folded.
/// Paragraph breaks survive as `"\n\n"` and line breaks as `"\n"` because later stages split
/// sentences and find boilerplate blocks by them; `TextFolding.folded` flattens them for output.
public struct FeedItem: Sendable, Equatable {
    public var id: String?
    public var title: String?
    public var link: String?
    public var published: Date?
    public var updated: Date?
    public var author: String?
    public var summary: String?
    public var content: String?
    public var categories: [String]

    public init(id: String? = nil, title: String? = nil, link: String? = nil, published: Date? = nil,
                updated: Date? = nil, author: String? = nil, summary: String? = nil,
                content: String? = nil, categories: [String] = []) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.author = author
        self.summary = summary
        self.content = content
        self.categories = categories
    }
}

/// What a feed says about itself (everything but its items).
public struct FeedHeader: Sendable, Equatable {
    public var format: FeedFormat
    public var title: String?
    public var link: String?

    public init(format: FeedFormat, title: String? = nil, link: String? = nil) {
        self.format = format
        self.title = title
        self.link = link
    }
}

/// A whole feed held in memory; the streaming reader never needs one.
public struct Feed: Sendable, Equatable {
    public var header: FeedHeader
    public var items: [FeedItem]
    public var warnings: [String]

    public init(header: FeedHeader, items: [FeedItem], warnings: [String]) {
        self.header = header
        self.items = items
        self.warnings = warnings
    }
}
