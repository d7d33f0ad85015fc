import Foundation

/// A stored signal as the scorer sees it: the analyzer's signal plus where and when it was found.
public struct ScoringSignal: Sendable, Equatable {
    public var vendor: String
    public var category: String
    public var rule: String
    public var weight: Double
    /// Published date, or the time the item was first seen when the feed gave none.
    public var date: Date
    public var published: Date?
    public var feed: String
    public var itemID: String
    /// Items with the same content are one story syndicated by several feeds.
    public var contentHash: String
    public var title: String?
    public var link: String?
    public var evidence: String

    public init(vendor: String, category: String, rule: String, weight: Double, date: Date, published: Date?,
                feed: String, itemID: String, contentHash: String, title: String?, link: String?, evidence: String) {
        self.vendor = vendor
        self.category = category
        self.rule = rule
        self.weight = weight
        self.date = date
        self.published = published
        self.feed = feed
        self.itemID = itemID
        self.contentHash = contentHash
        self.title = title
        self.link = link
        self.evidence = evidence
    }
}

/// One event's share of a vendor's score, with the signal that stands for it.
public struct Contribution: Sendable, Equatable {
    public var signal: ScoringSignal
    /// Independent feeds that reported the event.
    public var sources: [String]
    /// Weight × decay × source bonus, before diminishing returns.
    public var value: Double
    /// What the event adds to the raw score (negative for lowering signals).
    public var contribution: Double
}

/// A vendor's score at one time, explained.
public struct VendorScore: Sendable, Equatable {
    public var vendor: String
    public var tier: VendorTier
    public var raw: Double
    public var score: Int
    public var band: Band
    public var contributions: [Contribution]

    public init(vendor: String, tier: VendorTier, raw: Double, score: Int, band: Band, contributions: [Contribution]) {
        self.vendor = vendor
        self.tier = tier
        self.raw = raw
        self.score = score
        self.band = band
        self.contributions = contributions
    }
}

/// Pure scoring: signals and a time in, scores out.
///
/// c = weight × 2^(−age / half-life), nothing after the cut-off; copies of one event (same vendor
/// and category within the event window, or the same story in several feeds) count once with a
/// capped bonus for independent sources; raising contributions sorted descending count 1/k^e;
/// a share of the lowering ones is subtracted, never below zero; score = 100 × (1 − e^(−raw/K)).
public enum Scorer {
    public static func score(_ signals: [ScoringSignal], asOf: Date, model: ScoringModel,
                             tiers: [String: VendorTier]) -> [VendorScore] {
        let byVendor = Array(Dictionary(grouping: signals.filter { $0.date <= asOf }, by: \.vendor))
        // Vendors are scored each on their own, on every core (the end of a night's run waits for
        // this); the ranking orders them completely, whatever order they come in.
        let scores = byVendor.concurrentMap { vendor, vendorSignals in
            scoreVendor(vendor, vendorSignals, asOf: asOf, model: model, tier: tiers[vendor] ?? .medium)
        }
        return rank(scores.filter { !$0.contributions.isEmpty })
    }

    /// Highest score first; equal scores by tier (critical first), then by name.
    public static func rank(_ scores: [VendorScore]) -> [VendorScore] {
        let tierOrder: [VendorTier: Int] = [.critical: 0, .high: 1, .medium: 2, .low: 3]
        return scores.sorted {
            if $0.score != $1.score { return $0.score > $1.score }
            if $0.tier != $1.tier { return tierOrder[$0.tier]! < tierOrder[$1.tier]! }
            if $0.raw != $1.raw { return $0.raw > $1.raw }
            return $0.vendor < $1.vendor
        }
    }

    static func scoreVendor(_ vendor: String, _ signals: [ScoringSignal], asOf: Date, model: ScoringModel,
                            tier: VendorTier) -> VendorScore {
        var raising: [Contribution] = []
        var lowering: [Contribution] = []
        for event in events(signals, model: model) {
            guard let category = model.categories[event.signal.category] else { continue }
            let ageDays = asOf.timeIntervalSince(event.signal.date) / 86_400
            guard ageDays <= model.cutoffDays else { continue }
            let decay = pow(2, -max(0, ageDays) / max(category.halfLifeDays, 0.001))
            let bonus = min(model.sourceBonusCap, 1 + model.sourceBonusStep * Double(event.sources.count - 1))
            let value = event.signal.weight * decay * bonus
            let c = Contribution(signal: event.signal, sources: event.sources, value: value, contribution: 0)
            if category.direction == .raise { raising.append(c) } else { lowering.append(c) }
        }
        let order: (Contribution, Contribution) -> Bool = {
            if $0.value != $1.value { return $0.value > $1.value }
            if $0.signal.date != $1.signal.date { return $0.signal.date > $1.signal.date }
            return $0.signal.itemID < $1.signal.itemID
        }
        raising.sort(by: order)
        lowering.sort(by: order)
        for k in raising.indices {
            raising[k].contribution = raising[k].value / pow(Double(k + 1), model.diminishingExponent)
        }
        for k in lowering.indices {
            lowering[k].contribution = -model.loweringShare * lowering[k].value / pow(Double(k + 1), model.diminishingExponent)
        }
        let total = (raising + lowering).reduce(0) { $0 + $1.contribution }
        let raw = max(0, total)
        let score = scoreValue(raw: raw, model: model)
        return VendorScore(vendor: vendor, tier: tier, raw: raw, score: score, band: model.band(for: score),
                           contributions: raising + lowering)
    }

    public static func scoreValue(raw: Double, model: ScoringModel) -> Int {
        Int((100 * (1 - exp(-raw / model.k))).rounded())
    }

    struct Event {
        var signal: ScoringSignal
        var sources: [String]
    }

    /// Groups copies of one event: per category, in date order, the same story (content hash) or
    /// a signal within the window of the event's first signal joins it. The strongest signal
    /// (then the earliest) stands for the event.
    static func events(_ signals: [ScoringSignal], model: ScoringModel) -> [Event] {
        var out: [Event] = []
        let window = model.eventWindowHours * 3600
        for (_, group) in Dictionary(grouping: signals, by: \.category).sorted(by: { $0.key < $1.key }) {
            let sorted = group.sorted { ($0.date, $0.itemID, $0.rule) < ($1.date, $1.itemID, $1.rule) }
            var current: (start: Date, hashes: Set<String>, members: [ScoringSignal])?
            func flush() {
                guard let c = current else { return }
                let best = c.members.max { a, b in
                    a.weight != b.weight ? a.weight < b.weight : (a.date, a.itemID) > (b.date, b.itemID)
                }!
                out.append(Event(signal: best, sources: Array(Set(c.members.map(\.feed))).sorted()))
            }
            for s in sorted {
                if let c = current, s.date.timeIntervalSince(c.start) <= window || c.hashes.contains(s.contentHash) {
                    current!.hashes.insert(s.contentHash)
                    current!.members.append(s)
                } else {
                    flush()
                    current = (s.date, [s.contentHash], [s])
                }
            }
            flush()
        }
        return out
    }
}
