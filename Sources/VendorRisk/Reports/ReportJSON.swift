import Foundation

/// `report.json` per interfaces.md: fixed key order, so the same run gives the same bytes.
public enum ReportJSON {
    public static func render(_ r: RunReport, top: Int? = nil) -> String {
        var w = JSONWriter(capacity: 1 << 16)
        w.beginObject()
        w.key("as_of"); w.time(r.asOf)
        w.key("rules"); w.beginObject()
        w.key("version"); w.string(r.rulesVersion)
        w.key("sha256"); w.string(r.rulesSHA256)
        w.endObject()
        w.key("model"); model(r.model, into: &w)
        w.key("feeds"); w.beginObject()
        w.key("read"); w.integer(r.feedsRead)
        w.key("not_modified"); w.integer(r.feedsNotModified)
        w.key("skipped"); w.beginArray()
        for s in r.skipped { w.beginObject(); w.key("feed"); w.string(s.feed); w.key("until"); w.time(s.until); w.endObject() }
        w.endArray()
        w.key("failed"); w.beginArray()
        for f in r.failed {
            w.beginObject()
            w.key("feed"); w.string(f.feed)
            w.key("error"); w.string(f.error)
            w.key("consecutive_failures"); w.integer(f.consecutiveFailures)
            w.key("failing"); w.bool(f.consecutiveFailures >= RunReport.failingAfter)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.key("items"); w.beginObject()
        w.key("read"); w.integer(r.itemsRead)
        w.key("new"); w.integer(r.itemsNew)
        w.endObject()
        w.key("changes"); w.beginObject()
        w.key("previous_as_of"); w.time(r.previousAsOf)
        w.key("band_changes"); w.beginArray()
        for c in r.bandChanges {
            w.beginObject()
            w.key("name"); w.string(c.name)
            w.key("from"); w.string(c.from?.rawValue)
            w.key("to"); w.string(c.to.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("new_high_or_critical"); w.beginArray()
        for c in r.newlyHighOrCritical { w.string(c.name) }
        w.endArray()
        w.key("new_signals"); w.integer(r.newSignals)
        w.endObject()
        w.key("vendors"); w.beginArray()
        for v in r.vendors.prefix(top ?? Int.max) { vendor(v, into: &w) }
        w.endArray()
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self) + "\n"
    }

    /// One element of `vendors`: also the whole output of `score --format json`.
    public static func vendor(_ v: RunReport.RankedVendor, into w: inout JSONWriter) {
        w.beginObject()
        w.key("rank"); w.integer(v.rank)
        w.key("name"); w.string(v.score.vendor)
        w.key("tier"); w.string(v.score.tier.rawValue)
        w.key("score"); w.integer(v.score.score)
        w.key("band"); w.string(v.score.band.rawValue)
        w.key("delta"); if let d = v.delta { w.integer(d) } else { w.null() }
        w.key("raw"); w.number(rounded(v.score.raw))
        w.key("signals"); w.beginArray()
        for c in v.score.contributions {
            w.beginObject()
            w.key("category"); w.string(c.signal.category)
            w.key("rule"); w.string(c.signal.rule)
            w.key("weight"); w.number(c.signal.weight)
            w.key("contribution"); w.number(rounded(c.contribution))
            w.key("published"); w.time(c.signal.published)
            w.key("title"); w.string(c.signal.title, fold: true)
            w.key("link"); w.string(c.signal.link)
            w.key("feed"); w.string(c.signal.feed)
            w.key("sources"); w.integer(c.sources.count)
            w.key("evidence"); w.string(c.signal.evidence, fold: true)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    public static func vendorDocument(_ v: RunReport.RankedVendor) -> String {
        var w = JSONWriter()
        vendor(v, into: &w)
        return String(decoding: w.bytes, as: UTF8.self) + "\n"
    }

    static func model(_ m: ScoringModel, into w: inout JSONWriter) {
        w.beginObject()
        w.key("half_life_days"); w.beginObject()
        for (id, c) in m.categories.sorted(by: { $0.key < $1.key }) { w.key(id); w.number(c.halfLifeDays) }
        w.endObject()
        w.key("direction"); w.beginObject()
        for (id, c) in m.categories.sorted(by: { $0.key < $1.key }) { w.key(id); w.string(c.direction.rawValue) }
        w.endObject()
        w.key("cutoff_days"); w.number(m.cutoffDays)
        w.key("event_window_hours"); w.number(m.eventWindowHours)
        w.key("source_bonus_step"); w.number(m.sourceBonusStep)
        w.key("source_bonus_cap"); w.number(m.sourceBonusCap)
        w.key("diminishing_exponent"); w.number(m.diminishingExponent)
        w.key("lowering_share"); w.number(m.loweringShare)
        w.key("K"); w.number(m.k)
        w.key("bands"); w.beginObject()
        w.key("medium"); w.number(m.mediumFrom)
        w.key("high"); w.number(m.highFrom)
        w.key("critical"); w.number(m.criticalFrom)
        w.endObject()
        w.key("formula"); w.string("score = round(100 * (1 - exp(-max(0, sum(contribution)) / K)))")
        w.endObject()
    }

    /// Four decimals: enough to recompute every score exactly after rounding.
    static func rounded(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
}
