import Foundation
import Testing
@testable import VendorRisk

@Suite("State store")
struct StateStoreTests {
    let asOf = Date(timeIntervalSince1970: 1_760_000_000)

    func item(_ id: String, vendor: String = "Acme") -> NewItem {
        NewItem(id: id, contentHash: "h-\(id)", guid: id, link: "http://example.com/\(id)", title: "Title \(id)",
                published: asOf.addingTimeInterval(-86_400), summary: "Summary", content: nil,
                mentions: [(vendor, vendor, 1)],
                signals: [StoredSignal(vendor: vendor, category: "export-controls", rule: "r", weight: 6, evidence: "ev")])
    }

    @Test("items, signals and runs round-trip; a run with the same as-of replaces the earlier one")
    func roundTrip() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            let feed = try tx.feedID("feeds/a.xml")
            try tx.insert(item("1"), feedID: feed, firstSeen: asOf)
            #expect(try tx.knownItemIDs(feedID: feed) == ["1"])
            let signals = try tx.scoringSignals(since: asOf.addingTimeInterval(-86_400 * 30), asOf: asOf)
            #expect(signals.count == 1 && signals[0].feed == "feeds/a.xml" && signals[0].vendor == "Acme")
            let run = RunRecord(asOf: asOf, status: "ok", rulesVersion: "3", rulesSHA256: "x", catalogueSHA256: "y", feedsRead: 1,
                                feedsNotModified: 0, itemsRead: 1, itemsNew: 1, newSignals: 1, failures: [], skips: [])
            try tx.saveRun(run, scores: [])
            try tx.saveRun(run, scores: [])
            #expect(try tx.run(atOrBefore: nil)?.asOf == asOf)
            #expect(try tx.run(before: asOf) == nil)
        }
    }

    @Test("a failed transaction leaves nothing behind")
    func rollback() throws {
        struct Boom: Error {}
        let store = try StateStore(path: ":memory:")
        _ = try? store.transaction { tx in
            try tx.insert(item("1"), feedID: try tx.feedID("a"), firstSeen: asOf)
            throw Boom()
        }
        let count = try store.read { tx in try tx.feedState("a") }
        #expect(count == nil)
    }

    @Test("failures count up until a feed reads again")
    func failureStreak() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            #expect(try tx.recordFeedFailure("a", error: "boom") == 1)
            #expect(try tx.recordFeedFailure("a", error: "boom") == 2)
            try tx.recordFeedRead("a", size: 1, mtime: 1, contentHash: "h", title: nil)
            #expect(try tx.recordFeedFailure("a", error: "boom") == 1)
        }
    }

    @Test("re-analysis keeps when a signal was first found")
    func reanalysis() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            try tx.insert(item("1"), feedID: try tx.feedID("a"), firstSeen: asOf)
            let later = asOf.addingTimeInterval(86_400)
            try tx.replaceAnalysis(itemID: "1", mentions: [("Acme", "Acme", 1)],
                                   signals: [StoredSignal(vendor: "Acme", category: "export-controls", rule: "r", weight: 6, evidence: "ev")],
                                   asOf: later)
            #expect(try tx.countSignals(firstFoundAt: asOf) == 1)
            #expect(try tx.countSignals(firstFoundAt: later) == 0)
        }
    }
}
