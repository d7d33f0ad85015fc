/// `parse --format text`: a feed laid out for a person checking what the reader saw.
public enum FeedTextRenderer {
    public static func header(_ summary: FeedSummary, source: String) -> String {
        let title = summary.header.title.map { " — \($0)" } ?? ""
        return "\(source) [\(summary.header.format.rawValue)]\(title) (\(summary.itemCount) items, \(summary.warnings.count) warnings)"
    }

    public static func item(_ item: FeedItem) -> String {
        var lines = ["• " + (TextFolding.folded(item.title) ?? "(no title)")]
        if let link = item.link { lines.append("    \(link)") }
        let date = item.published ?? item.updated
        if let date { lines.append("    \(FeedDate.iso8601(date))" + (item.author.map { " · \($0)" } ?? "")) }
        if let text = TextFolding.folded(item.summary ?? item.content) {
            lines.append("    " + (text.count > 200 ? String(text.prefix(200)) + "…" : text))
        }
        return lines.joined(separator: "\n")
    }
}
