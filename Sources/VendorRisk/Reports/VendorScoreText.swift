import Foundation

/// `score --format text|md`: one vendor's score and every contribution.
public enum VendorScoreText {
    public static func render(_ v: RunReport.RankedVendor, asOf: Date, markdown: Bool) -> String {
        var lines: [String] = []
        let change = ReportMarkdown.change(v.delta)
        let head = "\(v.score.vendor): \(v.score.score) \(v.score.band.rawValue) (rank \(v.rank), tier \(v.score.tier.rawValue), change \(change)) as of \(FeedDate.iso8601(asOf))"
        lines.append(markdown ? "## \(head)" : head)
        if markdown { lines.append("") }
        if v.score.contributions.isEmpty {
            lines.append("No signal in the scoring window.")
        }
        for c in v.score.contributions {
            let date = c.signal.published.map { String(FeedDate.iso8601($0).prefix(10)) } ?? "undated"
            let title = TextFolding.folded(c.signal.title) ?? "(untitled)"
            let what = "\(JSONText.formatted(c.contribution, "%+.2f"))  \(date)  \(c.signal.category) / \(c.signal.rule) (weight \(JSONText.numberText(c.signal.weight)))"
            if markdown {
                lines.append("- **\(what)** — " + (c.signal.link.map { "[\(title)](\($0))" } ?? title))
                lines.append("  > \(TextFolding.folded(c.signal.evidence) ?? "")")
            } else {
                lines.append("  \(what)")
                lines.append("      \(title)" + (c.signal.link.map { " <\($0)>" } ?? ""))
                lines.append("      “\(TextFolding.folded(c.signal.evidence) ?? "")” — \(c.signal.feed)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
