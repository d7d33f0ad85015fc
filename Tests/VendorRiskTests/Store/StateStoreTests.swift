import Foundation
import GRDB
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

    @Test("a run's start reads every feed's state and known ids at once, as one feed at a time would")
    func feedStatesAndKnownIDsAtOnce() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            let a = try tx.feedID("feeds/a.xml"), b = try tx.feedID("feeds/b.xml"), c = try tx.feedID("feeds/c.xml")
            for (id, feed) in [("1", a), ("2", a), ("3", b), ("4", c)] { try tx.insert(item(id), feedID: feed, firstSeen: asOf) }
            // Every column set in one feed or another: a read, a failure, a skip.
            try tx.recordFeedRead(feedID: a, size: 1234, mtime: 1_700_000_000.25, contentHash: "abc", etag: "\"e\"",
                                  lastModified: "Mon, 01 Jan 2024 00:00:00 GMT", title: "A")
            try tx.recordFeedFailure("feeds/b.xml", error: "feeds/b.xml: cannot read: No such file")
            try tx.recordFeedSkip("feeds/c.xml", until: asOf)
            let states = try tx.feedStates()
            #expect(states[Array("feeds/a.xml".utf8)]?.size == 1234 && states[Array("feeds/a.xml".utf8)]?.etag == "\"e\"")
            #expect(states[Array("feeds/b.xml".utf8)]?.consecutiveFailures == 1 && states[Array("feeds/c.xml".utf8)]?.retryUntil == asOf)
            #expect(states.count == 3)
            for source in ["feeds/a.xml", "feeds/b.xml", "feeds/c.xml"] {
                #expect(states[Array(source.utf8)] == (try tx.feedState(source)))
            }
            let known = try tx.knownItemIDs(feedIDs: [a, c])
            #expect(known == [a: try tx.knownItemIDs(feedID: a), c: try tx.knownItemIDs(feedID: c)])
            #expect(known[a] == ["1", "2"] && known[b] == nil)
        }
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

    @Test("a state made before migration v2 opens with its items, ids found through the new index")
    func upgradesFromV1() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vr-v1-\(getpid()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A state file as the first release left it: migration v1 only, with an item in it.
        let old = try DatabaseQueue(path: path)
        try StateStore.migrator.migrate(old, upTo: "v1")
        try old.write { db in try insertBeforeV3(db, feed: "feeds/a.xml", items: ["1"]) }
        try old.close()

        let store = try StateStore(path: path)
        try store.read { tx in
            let feed = try #require(try tx.feedState("feeds/a.xml")).id
            #expect(try tx.knownItemIDs(feedID: feed) == ["1"])
            let indexes = try String.fetchAll(tx.db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'")
            #expect(indexes.contains("items_by_feed_and_id"))
            #expect(!indexes.contains("items_by_feed") && !indexes.contains("items_by_date"))
            let plan = try Row.fetchAll(tx.db, sql: "EXPLAIN QUERY PLAN SELECT id FROM items WHERE feed_id = 1")
                .map { $0["detail"] as String }.joined()
            #expect(plan.contains("COVERING INDEX items_by_feed_and_id"))
        }
    }

    /// How many rows `table` holds.
    func rows(_ tx: StoreTransaction, _ table: String) throws -> Int? {
        try Int.fetchOne(tx.db, sql: "SELECT COUNT(*) FROM \(table)")
    }

    /// The row id of the first stored item of the last thirty days.
    func firstItemKey(_ tx: StoreTransaction) throws -> Int64 {
        var keys: [Int64] = []
        try tx.forEachItem(since: asOf.addingTimeInterval(-86_400 * 30)) { keys.append($0.key) }
        return try #require(keys.first)
    }

    /// Items with a mention and a signal each, as the schema before v3 kept them (keyed by id).
    func insertBeforeV3(_ db: Database, feed: String, items ids: [String]) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO feeds (source) VALUES (?)", arguments: [feed])
        let feedID = try Int64.fetchOne(db, sql: "SELECT id FROM feeds WHERE source = ?", arguments: [feed])!
        for id in ids {
            let i = item(id)
            try db.execute(sql: """
                INSERT INTO items (id, feed_id, content_hash, guid, link, title, published, first_seen, summary, content)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [i.id, feedID, i.contentHash, i.guid, i.link, i.title, i.published?.timeIntervalSince1970,
                                 asOf.timeIntervalSince1970, i.summary, i.content])
            try db.execute(sql: "INSERT INTO mentions (item_id, vendor, alias, count) VALUES (?, 'Acme', 'Acme', 1)", arguments: [id])
            try db.execute(sql: """
                INSERT INTO signals (item_id, vendor, category, rule, weight, evidence, first_as_of)
                VALUES (?, 'Acme', 'export-controls', 'r', 6, 'ev', ?)
                """, arguments: [id, asOf.timeIntervalSince1970])
        }
    }

    @Test("a state made before migration v3 keeps its items, mentions and signals, now tied to the items' row ids")
    func upgradesFromV2() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vr-v2-\(getpid()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = try DatabaseQueue(path: path)
        try StateStore.migrator.migrate(old, upTo: "v2: known item ids from an index")
        try old.write { db in
            try insertBeforeV3(db, feed: "feeds/a.xml", items: ["1", "2"])
            try insertBeforeV3(db, feed: "feeds/b.xml", items: ["3"])
        }
        try old.close()

        let store = try StateStore(path: path)
        try store.transaction { tx in
            let a = try #require(try tx.feedState("feeds/a.xml")).id
            #expect(try tx.knownItemIDs(feedID: a) == ["1", "2"])
            let signals = try tx.scoringSignals(since: asOf.addingTimeInterval(-86_400 * 30), asOf: asOf)
            #expect(signals.map(\.itemID) == ["1", "2", "3"])
            #expect(signals.map(\.feed) == ["feeds/a.xml", "feeds/a.xml", "feeds/b.xml"])
            // The facts of each signal's item, copied into the signal by migration v4.
            #expect(signals.map(\.title) == ["Title 1", "Title 2", "Title 3"])
            #expect(signals.map(\.contentHash) == ["h-1", "h-2", "h-3"])
            #expect(signals.allSatisfy { $0.link == "http://example.com/\($0.itemID)" && $0.date == asOf.addingTimeInterval(-86_400) })
            let mentions = try Row.fetchAll(tx.db, sql: "SELECT i.id, m.vendor FROM mentions m JOIN items i ON i.key = m.item ORDER BY i.id")
            #expect(mentions.map { $0[0] as String } == ["1", "2", "3"])
            #expect(try Row.fetchAll(tx.db, sql: "PRAGMA foreign_key_check").isEmpty)
            let indexes = try String.fetchAll(tx.db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'")
            #expect(indexes == ["items_by_feed_and_id"])
            // Deleting a feed still takes its items, and their mentions and signals, with it.
            try tx.db.execute(sql: "DELETE FROM feeds WHERE id = ?", arguments: [a])
            #expect(try rows(tx, "mentions") == 1)
            #expect(try rows(tx, "signals") == 1)
        }
    }

    @Test("scoring reads only the signals inside its window, through the index on their items' dates")
    func scoringWindow() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            let feed = try tx.feedID("feeds/a.xml")
            for (id, days) in [("old", 40.0), ("in", 2.0), ("future", -3.0)] {
                var i = item(id)
                i.published = asOf.addingTimeInterval(-86_400 * days)
                try tx.insert(i, feedID: feed, firstSeen: asOf)
            }
            let signals = try tx.scoringSignals(since: asOf.addingTimeInterval(-86_400 * 30), asOf: asOf)
            #expect(signals.map(\.itemID) == ["in"])
            #expect(signals.first?.title == "Title in" && signals.first?.feed == "feeds/a.xml")
            let plan = try Row.fetchAll(tx.db, sql: "EXPLAIN QUERY PLAN " + StoreTransaction.scoringSignalsSQL, arguments: [0, 1])
                .map { $0["detail"] as String }.joined(separator: "; ")
            #expect(plan.contains("USING INDEX signals_by_date"), "\(plan)")
            let count = try Row.fetchAll(tx.db, sql: "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM signals WHERE first_as_of = 1")
                .map { $0["detail"] as String }.joined()
            #expect(count.contains("signals_by_first_run"), "\(count)")
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

    @Test("starting the write-back inside a transaction keeps it atomic: a failure after it leaves the file as it was")
    func writebackInsideTransaction() throws {
        struct Boom: Error {}
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vr-wb-\(getpid()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try StateStore(path: path)
        try store.transaction { tx in try tx.insert(item("kept"), feedID: try tx.feedID("a"), firstSeen: asOf) }
        // More than SQLite's 16 MiB cache holds: it spills pages into the file before the end.
        _ = try? store.transaction { tx in
            let feed = try tx.feedID("b")
            for i in 0..<10_000 {
                var big = item("\(i)")
                big.summary = String(repeating: "x", count: 2_000)
                try tx.insert(big, feedID: feed, firstSeen: asOf)
                if i % 1_000 == 0 { store.startWriteback() }
            }
            throw Boom()
        }
        let (feed, items) = try store.read { tx in
            (try tx.feedState("b"), try rows(tx, "items"))
        }
        #expect(feed == nil && items == 1)
        try StateStore(path: ":memory:").startWriteback()
    }

    @Test("an unchanged feed's row is written only when a failure, a wait or a validator changes")
    func unchangedFeedRow() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            try tx.recordFeedRead("a", size: 1, mtime: 1, contentHash: "h", etag: "\"1\"", lastModified: "Mon", title: nil)
            try tx.recordFeedUnchanged("a")
            #expect(tx.db.changesCount == 0)
            try tx.recordFeedUnchanged("a", validators: FeedValidators(etag: "\"1\"", lastModified: nil))
            #expect(tx.db.changesCount == 0)
            try tx.recordFeedUnchanged("a", validators: FeedValidators(etag: "\"2\"", lastModified: nil))
            #expect(tx.db.changesCount == 1)
            #expect(try tx.feedState("a")?.etag == "\"2\"" && tx.feedState("a")?.lastModified == "Mon")
            try tx.recordFeedFailure("a", error: "boom")
            try tx.recordFeedSkip("a", until: asOf)
            try tx.recordFeedUnchanged("a")
            let state = try #require(try tx.feedState("a"))
            #expect(state.consecutiveFailures == 0 && state.retryUntil == nil)
            #expect(try String.fetchOne(tx.db, sql: "SELECT last_error FROM feeds WHERE source = 'a'") == nil)
        }
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

    @Test("stored items are read one by one, in the order they were stored, while their analyses are rewritten")
    func itemsStreamWhileAnalysesChange() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            let feed = try tx.feedID("a")
            let ids = (0..<2_500).map { String(format: "%05d", ($0 * 7_919) % 2_500) }
            for id in ids { try tx.insert(item(id), feedID: feed, firstSeen: asOf) }
            var seen: [String] = []
            try tx.forEachItem(since: asOf.addingTimeInterval(-86_400 * 30)) { stored in
                seen.append(stored.id)
                try tx.replaceAnalysis(itemKey: stored.key, contentHash: "", mentions: [("Acme", "Acme", 1), ("Globex", "Globex", 2)],
                                       signals: [], asOf: asOf)
            }
            #expect(seen == ids)  // in the order they were stored
            #expect(try rows(tx, "mentions") == 5_000)
            #expect(try rows(tx, "signals") == 0)
        }
    }

    @Test("an item stored without signals has no content hash until an analysis finds one; then its signals carry it")
    func contentHashWhenSignalsAppear() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            var quiet = item("1")
            quiet.contentHash = ""
            quiet.signals = []
            try tx.insert(quiet, feedID: try tx.feedID("a"), firstSeen: asOf)
            let key = try firstItemKey(tx)
            func stored() throws -> String? { try String.fetchOne(tx.db, sql: "SELECT content_hash FROM items WHERE key = ?", arguments: [key]) }
            // Still no signal: nothing to keep.
            try tx.replaceAnalysis(itemKey: key, contentHash: "", mentions: [], signals: [], asOf: asOf)
            #expect(try stored() == "")
            let signal = StoredSignal(vendor: "Acme", category: "export-controls", rule: "r", weight: 6, evidence: "ev")
            try tx.replaceAnalysis(itemKey: key, contentHash: "digest", mentions: [("Acme", "Acme", 1)], signals: [signal], asOf: asOf)
            #expect(try stored() == "digest")
            #expect(try tx.scoringSignals(since: asOf.addingTimeInterval(-86_400 * 30), asOf: asOf).map(\.contentHash) == ["digest"])
            // A hash once kept is the item's: a later analysis does not change it.
            try tx.replaceAnalysis(itemKey: key, contentHash: "other", mentions: [], signals: [signal], asOf: asOf)
            #expect(try stored() == "digest")
        }
    }

    @Test("re-analysis keeps when a signal was first found")
    func reanalysis() throws {
        let store = try StateStore(path: ":memory:")
        try store.transaction { tx in
            try tx.insert(item("1"), feedID: try tx.feedID("a"), firstSeen: asOf)
            let key = try firstItemKey(tx)
            let later = asOf.addingTimeInterval(86_400)
            try tx.replaceAnalysis(itemKey: key, contentHash: "h-1", mentions: [("Acme", "Acme", 1)],
                                   signals: [StoredSignal(vendor: "Acme", category: "export-controls", rule: "r", weight: 6, evidence: "ev")],
                                   asOf: later)
            #expect(try tx.countSignals(firstFoundAt: asOf) == 1)
            #expect(try tx.countSignals(firstFoundAt: later) == 0)
        }
    }
}
