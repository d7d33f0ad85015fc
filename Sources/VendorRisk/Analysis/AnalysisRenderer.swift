import Foundation

/// One analysed item with what identifies it, ready to render.
public struct AnalysedItem: Sendable {
    public let item: FeedItem
    public let analysis: ItemAnalysis
    public let source: String?
    public init(item: FeedItem, analysis: ItemAnalysis, source: String? = nil) {
        self.item = item
        self.analysis = analysis
        self.source = source
    }
}

/// Renders analysed items as the `analyze` contract's JSON, JSON lines, text or Markdown.
public struct AnalysisRenderer: Sendable {
    public let catalogue: Catalogue
    public let explain: Bool

    public init(catalogue: Catalogue, explain: Bool = false) {
        self.catalogue = catalogue
        self.explain = explain
    }

    /// `{ "items": [...] }` for one feed.
    public func json(_ items: [AnalysedItem]) -> String {
        "{\"items\":[" + items.map { object($0, withSource: false) }.joined(separator: ",") + "]}"
    }

    /// One object per line, with `source`.
    public func jsonLine(_ item: AnalysedItem) -> String { object(item, withSource: true) }

    private func object(_ a: AnalysedItem, withSource: Bool) -> String {
        var fields: [(String, String)] = [
            ("id", JSON.string(a.item.id)), ("link", JSON.string(a.item.link)), ("title", JSON.string(a.item.title)),
            ("published", JSON.string(a.item.published.map(Self.time))),
        ]
        if withSource { fields.append(("source", JSON.string(a.source))) }
        fields.append(("mentions", "[" + a.analysis.mentions.map { m in
            JSON.object([("vendor", JSON.string(catalogue.vendors[m.vendor].name)), ("alias", JSON.string(m.alias)),
                         ("count", String(m.count))])
        }.joined(separator: ",") + "]"))
        fields.append(("signals", "[" + a.analysis.signals.map(signal).joined(separator: ",") + "]"))
        if explain {
            fields.append(("cancelled", "[" + a.analysis.cancelled.map { c in
                JSON.object([("rule", JSON.string(c.rule)), ("category", JSON.string(c.category)),
                             ("reason", JSON.string(c.reason)), ("evidence", JSON.string(c.evidence))])
            }.joined(separator: ",") + "]"))
        }
        return JSON.object(fields)
    }

    private func signal(_ s: Signal) -> String {
        JSON.object([("vendor", JSON.string(catalogue.vendors[s.vendor].name)), ("category", JSON.string(s.category)),
                     ("rule", JSON.string(s.rule)), ("weight", JSON.number(s.weight)),
                     ("evidence", JSON.string(s.evidence))])
    }

    /// For a person checking why the tool said what it said.
    public func text(_ items: [AnalysedItem], markdown: Bool) -> String {
        var out = ""
        for a in items {
            let title = a.item.title ?? "(no title)"
            out += markdown ? "## \(title)\n\n" : "\(title)\n"
            if let l = a.item.link { out += markdown ? "<\(l)>\n\n" : "  \(l)\n" }
            let names = a.analysis.mentions.map { "\(catalogue.vendors[$0.vendor].name) (\($0.alias) ×\($0.count))" }
            out += (markdown ? "- **Vendors:** " : "  vendors: ") + (names.isEmpty ? "none" : names.joined(separator: "; ")) + "\n"
            if a.analysis.signals.isEmpty { out += (markdown ? "- **Signals:** none\n" : "  signals: none\n") }
            for s in a.analysis.signals {
                let head = "\(catalogue.vendors[s.vendor].name): \(s.category) (rule \(s.rule), weight \(JSON.number(s.weight)))"
                out += markdown ? "- **\(head)**\n  > \(s.evidence)\n" : "  signal: \(head)\n    \"\(s.evidence)\"\n"
            }
            if explain {
                for c in a.analysis.cancelled {
                    out += markdown ? "- cancelled \(c.rule): \(c.reason)\n  > \(c.evidence)\n"
                                    : "  cancelled: \(c.rule) [\(c.category)] \(c.reason)\n    \"\(c.evidence)\"\n"
                }
            }
            out += "\n"
        }
        return out
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    static func time(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0,
                      c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}

/// A minimal JSON writer that keeps field order.
enum JSON {
    static func string(_ s: String?) -> String {
        guard let s else { return "null" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
