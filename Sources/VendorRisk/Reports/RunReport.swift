import Foundation

/// Everything a report shows: a run's figures, the ranked scores and what changed.
public struct RunReport: Sendable {
    public struct RankedVendor: Sendable {
        public var rank: Int
        public var score: VendorScore
        /// Points since the previous run; nil when there is no previous run.
        public var delta: Int?

        public init(rank: Int, score: VendorScore, delta: Int?) {
            self.rank = rank
            self.score = score
            self.delta = delta
        }
    }

    public struct BandChange: Sendable, Equatable {
        public var name: String
        public var from: Band?
        public var to: Band
    }

    public var asOf: Date
    public var rulesVersion: String
    public var rulesSHA256: String
    public var model: ScoringModel
    public var feedsRead: Int
    public var feedsNotModified: Int
    public var skipped: [FeedSkip]
    public var failed: [FeedFailure]
    public var itemsRead: Int
    public var itemsNew: Int
    public var previousAsOf: Date?
    public var bandChanges: [BandChange]
    public var newSignals: Int
    public var vendors: [RankedVendor]

    /// Feeds failing this many runs in a row are called out.
    public static let failingAfter = 3

    public init(run: RunRecord, model: ScoringModel, scores: [VendorScore],
                previous: RunRecord?, previousScores: [String: StoredScore]) {
        asOf = run.asOf
        rulesVersion = run.rulesVersion
        rulesSHA256 = run.rulesSHA256
        self.model = model
        feedsRead = run.feedsRead
        feedsNotModified = run.feedsNotModified
        skipped = run.skips
        failed = run.failures
        itemsRead = run.itemsRead
        itemsNew = run.itemsNew
        newSignals = run.newSignals
        previousAsOf = previous?.asOf
        vendors = scores.enumerated().map { index, s in
            RankedVendor(rank: index + 1, score: s,
                         delta: previous == nil ? nil : s.score - (previousScores[s.vendor]?.score ?? 0))
        }
        var changes: [BandChange] = []
        if previous != nil {
            let current = Dictionary(uniqueKeysWithValues: scores.map { ($0.vendor, $0.band) })
            for s in scores {
                let before = previousScores[s.vendor].flatMap { Band(rawValue: $0.band) }
                if before != s.band && !(before == nil && s.band == .low) {
                    changes.append(BandChange(name: s.vendor, from: before, to: s.band))
                }
            }
            for (name, old) in previousScores.sorted(by: { $0.key < $1.key }) where current[name] == nil {
                if let before = Band(rawValue: old.band), before != .low {
                    changes.append(BandChange(name: name, from: before, to: .low))
                }
            }
        }
        bandChanges = changes
    }

    /// Vendors that entered High or Critical since the previous run: what alerting scripts want.
    public var newlyHighOrCritical: [BandChange] {
        bandChanges.filter { $0.to >= .high && ($0.from.map { $0 < .high } ?? true) }
    }

    /// Score changes, largest first (both directions).
    public var biggestMoves: [RankedVendor] {
        vendors.filter { ($0.delta ?? 0) != 0 }
            .sorted { abs($0.delta!) != abs($1.delta!) ? abs($0.delta!) > abs($1.delta!) : $0.rank < $1.rank }
    }
}
