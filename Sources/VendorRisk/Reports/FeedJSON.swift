/// The `parse` command's JSON, per `interfaces.md`: text folded to one line.
public enum FeedJSON {
    public static func item(_ item: FeedItem, source: String? = nil) -> String {
        var pairs: [(String, String)] = [
            ("id", JSONText.string(item.id)),
            ("title", JSONText.string(TextFolding.folded(item.title))),
            ("link", JSONText.string(item.link)),
            ("published", JSONText.time(item.published)),
            ("updated", JSONText.time(item.updated)),
            ("author", JSONText.string(TextFolding.folded(item.author))),
            ("summary", JSONText.string(TextFolding.folded(item.summary))),
            ("content", JSONText.string(TextFolding.folded(item.content))),
            ("categories", JSONText.array(item.categories.map(JSONText.quoted))),
        ]
        if let source { pairs.append(("source", JSONText.quoted(source))) }
        return JSONText.object(pairs)
    }

    public static func header(_ header: FeedHeader) -> String {
        JSONText.object([
            ("format", JSONText.quoted(header.format.rawValue)),
            ("title", JSONText.string(TextFolding.folded(header.title))),
            ("link", JSONText.string(header.link)),
        ])
    }

    public static func warnings(_ warnings: [String]) -> String {
        JSONText.array(warnings.map(JSONText.quoted))
    }
}
