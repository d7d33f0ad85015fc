import Foundation

/// `report.md`: GitHub-flavoured Markdown for a person reading it over coffee.
public enum ReportMarkdown {
    public static func render(_ r: RunReport, top: Int? = nil) -> String {
        var out: [String] = []
        let day = String(FeedDate.iso8601(r.asOf).prefix(10))
        out.append("# Vendor risk report — \(day)")
        out.append("")
        out.append("As of **\(FeedDate.iso8601(r.asOf))** · rules \(r.rulesVersion) (`\(r.rulesSHA256.prefix(12))`) · "
                   + "feeds read \(r.feedsRead), unchanged \(r.feedsNotModified), skipped \(r.skipped.count), failed \(r.failed.count) · "
                   + "items read \(r.itemsRead), new \(r.itemsNew) · new signals \(r.newSignals)")
        out.append("")
        out.append("## Ranking")
        out.append("")
        let shown = Array(r.vendors.prefix(top ?? Int.max))
        if shown.isEmpty {
            out.append("No vendor has a risk signal in the scoring window.")
        } else {
            out.append("| Rank | Vendor | Tier | Score | Band | Change |")
            out.append("| ---: | --- | --- | ---: | --- | ---: |")
            for v in shown {
                out.append("| \(v.rank) | \(cell(v.score.vendor)) | \(v.score.tier.rawValue) | \(v.score.score) | \(v.score.band.rawValue) | \(change(v.delta)) |")
            }
        }
        out.append("")
        out.append("## What changed since the previous run")
        out.append("")
        if let previous = r.previousAsOf {
            out.append("Previous run: \(FeedDate.iso8601(previous)).")
            out.append("")
            let newly = r.newlyHighOrCritical
            if newly.isEmpty {
                out.append("- No vendor newly High or Critical.")
            } else {
                for c in newly { out.append("- **\(c.name)** is now **\(c.to.rawValue)** (was \(c.from?.rawValue ?? "unscored")).") }
            }
            for c in r.bandChanges where !newly.contains(c) {
                out.append("- \(c.name): \(c.from?.rawValue ?? "unscored") → \(c.to.rawValue).")
            }
            let moves = r.biggestMoves.prefix(5)
            if !moves.isEmpty {
                out.append("- Biggest moves: " + moves.map { "\($0.score.vendor) \(change($0.delta))" }.joined(separator: ", ") + ".")
            }
        } else {
            out.append("This is the first run: nothing to compare with.")
        }
        out.append("")
        for v in shown {
            out.append("## \(v.rank). \(v.score.vendor) — \(v.score.band.rawValue) (\(v.score.score))")
            out.append("")
            out.append("Tier \(v.score.tier.rawValue) · raw \(JSONText.formatted(v.score.raw, "%.2f")) · change \(change(v.delta))")
            out.append("")
            out.append("| Date | Category | Rule | Contribution | Story |")
            out.append("| --- | --- | --- | ---: | --- |")
            for c in v.score.contributions {
                let date = c.signal.published.map { String(FeedDate.iso8601($0).prefix(10)) } ?? "undated"
                let title = cell(TextFolding.folded(c.signal.title) ?? "(untitled)")
                let story = c.signal.link.map { "[\(title)](\($0))" } ?? title
                let sources = c.sources.count > 1 ? " (\(c.sources.count) sources)" : ""
                out.append("| \(date) | \(c.signal.category) | \(c.signal.rule) | \(JSONText.formatted(c.contribution, "%+.2f")) | \(story)\(sources) |")
            }
            out.append("")
            for c in v.score.contributions {
                out.append("> \(TextFolding.folded(c.signal.evidence) ?? "") — *\(c.signal.feed)*")
                out.append("")
            }
        }
        if !r.failed.isEmpty || !r.skipped.isEmpty {
            out.append("## Feeds that were not read")
            out.append("")
            for f in r.failed {
                let callout = f.consecutiveFailures >= RunReport.failingAfter ? " **failing \(f.consecutiveFailures) runs in a row**" : ""
                out.append("- `\(f.feed)`: \(f.error)\(callout)")
            }
            for s in r.skipped { out.append("- `\(s.feed)`: skipped until \(FeedDate.iso8601(s.until)) (server asked to retry later)") }
            out.append("")
        }
        out.append("---")
        out.append("Scores: each signal adds weight × 2^(−age/half-life) (half-lives: "
                   + r.model.categories.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value.halfLifeDays)) d" }.joined(separator: ", ")
                   + "); the k-th strongest counts 1/k^\(JSONText.numberText(r.model.diminishingExponent)); lowering signals subtract; "
                   + "score = 100 × (1 − e^(−raw/\(JSONText.numberText(r.model.k)))). Bands: Medium ≥ \(Int(r.model.mediumFrom)), "
                   + "High ≥ \(Int(r.model.highFrom)), Critical ≥ \(Int(r.model.criticalFrom)).")
        return out.joined(separator: "\n") + "\n"
    }

    static func change(_ delta: Int?) -> String {
        guard let delta else { return "new" }
        return delta == 0 ? "0" : (delta > 0 ? "+\(delta)" : "\(delta)")
    }

    /// Table cells must not break the table.
    static func cell(_ s: String) -> String {
        // Most cells need nothing (Foundation's replace costs as much as the rest of the report).
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == 0x0A }) else { return s }
        return s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

/// `report --format csv`: one row per ranked vendor, for spreadsheets.
public enum ReportCSV {
    public static func render(_ r: RunReport, top: Int? = nil) -> String {
        var lines = ["rank,vendor,tier,score,band,delta,signals,top_category,top_evidence"]
        for v in r.vendors.prefix(top ?? Int.max) {
            let top = v.score.contributions.first
            lines.append([String(v.rank), field(v.score.vendor), v.score.tier.rawValue, String(v.score.score), v.score.band.rawValue,
                          v.delta.map(String.init) ?? "", String(v.score.contributions.count), top?.signal.category ?? "",
                          field(TextFolding.folded(top?.signal.evidence) ?? "")].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func field(_ s: String) -> String {
        guard s.contains(",") || s.contains("\"") || s.contains("\n") else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
