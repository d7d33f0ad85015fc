import Foundation
import GRDB
import GRDBSQLite

/// The store's operations inside one transaction (or read).
public struct StoreTransaction {
    let db: Database
    /// The item, mention and signal inserts, prepared on first use and kept for the transaction:
    /// finding them in GRDB's statement cache (hashing and comparing their SQL) on every row cost
    /// a fifth of what SQLite spent inserting the row.
    private let inserts = Inserts()

    private final class Inserts {
        var item: FastInsert?
        var mention: FastInsert?
        var signal: FastInsert?
    }

    init(db: Database) {
        self.db = db
    }

    private func insert(_ statement: ReferenceWritableKeyPath<Inserts, FastInsert?>, sql: String) throws -> FastInsert {
        if let prepared = inserts[keyPath: statement] { return prepared }
        let prepared = try FastInsert(db, sql: sql)
        inserts[keyPath: statement] = prepared
        return prepared
    }

    // MARK: - Feeds

    /// Every stored feed's state, keyed by the UTF-8 bytes of its source (SQLite's own equality for
    /// the `source` column, where Swift's string equality would join canonically equivalent
    /// spellings): one query where a run asked once per feed.
    public func feedStates() throws -> [[UInt8]: FeedState] {
        var states: [[UInt8]: FeedState] = [:]
        try eachRow(db.cachedStatement(sql: """
            SELECT id, source, size, mtime, content_hash, etag, last_modified, retry_until, consecutive_failures
            FROM feeds
            """), arguments: []) { row in
            let source = row.text(1)
            states[Array(source)] = FeedState(
                id: row.int64(0), source: String(decoding: source, as: UTF8.self), size: row.int64OrNil(2).map(Int.init),
                mtime: row.double(3), contentHash: row.string(4), etag: row.string(5), lastModified: row.string(6),
                retryUntil: row.double(7).map { Date(timeIntervalSince1970: $0) }, consecutiveFailures: Int(row.int64(8)))
        }
        return states
    }

    public func feedState(_ source: String) throws -> FeedState? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM feeds WHERE source = ?"), arguments: [source]).map(Self.feedState)
    }

    /// The feed's row, created on first sight.
    public func feedID(_ source: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM feeds WHERE source = ?"), arguments: [source]) { return id }
        try db.cachedStatement(sql: "INSERT INTO feeds (source) VALUES (?)").execute(arguments: [source])
        return db.lastInsertedRowID
    }

    public func recordFeedRead(_ source: String, size: Int?, mtime: Double?, contentHash: String?,
                               etag: String? = nil, lastModified: String? = nil, title: String?) throws {
        try recordFeedRead(feedID: feedID(source), size: size, mtime: mtime, contentHash: contentHash,
                           etag: etag, lastModified: lastModified, title: title)
    }

    /// The same for a feed whose row id the caller has (a run knows it from the feed's state).
    public func recordFeedRead(feedID id: Int64, size: Int?, mtime: Double?, contentHash: String?,
                               etag: String? = nil, lastModified: String? = nil, title: String?) throws {
        try db.cachedStatement(sql: """
            UPDATE feeds SET size = ?, mtime = ?, content_hash = ?, etag = ?, last_modified = ?,
                retry_until = NULL, consecutive_failures = 0, last_error = NULL, title = COALESCE(?, title)
            WHERE id = ?
            """).execute(arguments: [size, mtime, contentHash, etag, lastModified, title, id])
    }

    /// The feed answered "unchanged" (same bytes, or HTTP 304 with the validators to keep). A row
    /// with no failure or wait to clear and no new validator is left as it is: an unchanged night
    /// wrote every feed's row (and its pages) for nothing.
    public func recordFeedUnchanged(_ source: String, validators: FeedValidators? = nil) throws {
        try db.cachedStatement(sql: """
            UPDATE feeds SET consecutive_failures = 0, last_error = NULL, retry_until = NULL,
                etag = COALESCE(?1, etag), last_modified = COALESCE(?2, last_modified)
            WHERE source = ?3 AND (consecutive_failures <> 0 OR last_error IS NOT NULL OR retry_until IS NOT NULL
                OR etag IS NOT COALESCE(?1, etag) OR last_modified IS NOT COALESCE(?2, last_modified))
            """).execute(arguments: [validators?.etag, validators?.lastModified, source])
    }

    /// Counts the failure; returns how many runs in a row the feed has now failed.
    @discardableResult
    public func recordFeedFailure(_ source: String, error: String) throws -> Int {
        let id = try feedID(source)
        try db.cachedStatement(sql: "UPDATE feeds SET consecutive_failures = consecutive_failures + 1, last_error = ? WHERE id = ?")
            .execute(arguments: [error, id])
        return try Int.fetchOne(db, sql: "SELECT consecutive_failures FROM feeds WHERE id = ?", arguments: [id]) ?? 1
    }

    public func recordFeedSkip(_ source: String, until: Date) throws {
        let id = try feedID(source)
        try db.cachedStatement(sql: "UPDATE feeds SET retry_until = ? WHERE id = ?").execute(arguments: [until.timeIntervalSince1970, id])
    }

    private static func feedState(_ row: Row) -> FeedState {
        FeedState(id: row["id"], source: row["source"], size: row["size"], mtime: row["mtime"],
                  contentHash: row["content_hash"], etag: row["etag"], lastModified: row["last_modified"],
                  retryUntil: (row["retry_until"] as Double?).map { Date(timeIntervalSince1970: $0) },
                  consecutiveFailures: row["consecutive_failures"])
    }

    // MARK: - Items

    public func knownItemIDs(feedID: Int64) throws -> KnownItems {
        var known = KnownItems()
        try eachRow(db.cachedStatement(sql: "SELECT id FROM items WHERE feed_id = ?"), arguments: [feedID]) { row in
            known.insert(utf8: row.text(0))
        }
        return known
    }

    /// `knownItemIDs(feedID:)` of each of `feedIDs`, from one pass over the (feed, id) index: a run
    /// that reads most of the stored feeds asked once per feed, and the queries' own cost was most
    /// of an unchanged re-run's start.
    public func knownItemIDs(feedIDs: Set<Int64>) throws -> [Int64: KnownItems] {
        var known: [Int64: KnownItems] = [:]
        var current: Int64?
        var ids = KnownItems()
        func close() {
            if let current, feedIDs.contains(current) { known[current] = ids }
            ids = KnownItems(minimumCapacity: ids.count)
        }
        try eachRow(db.cachedStatement(sql: "SELECT feed_id, id FROM items ORDER BY feed_id"), arguments: []) { row in
            let feed = row.int64(0)
            if feed != current {
                close()
                current = feed
            }
            if feedIDs.contains(feed) { ids.insert(utf8: row.text(1)) }
        }
        close()
        return known
    }

    /// Stores a new item with its analysis; false (nothing stored) when the feed has an item of
    /// that id already: a feed that gives an item twice, or a feed list that names a feed twice.
    @discardableResult
    public func insert(_ item: NewItem, feedID: Int64, firstSeen: Date) throws -> Bool {
        var one = NewItems()
        one.append(item)
        return try insert(one, feedID: feedID, firstSeen: firstSeen) == 1
    }

    /// Stores a feed's new items in order (each as `insert(_:feedID:firstSeen:)`); returns how many
    /// were stored. Their texts are bound where they lie in the feed's text buffer (`NewItems`).
    public func insert(_ new: NewItems, feedID: Int64, firstSeen: Date) throws -> Int {
        let statement = try insert(\.item, sql: """
            INSERT INTO items (id, feed_id, content_hash, guid, link, title, published, first_seen, summary, content)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id, id) DO NOTHING
            """)
        return try new.withTexts { items, text in
            var stored = 0
            for i in items.indices {
                try statement.run { b in
                    b.text(bytes: text(i, .id))
                    b.integer(feedID)
                    b.text(bytes: text(i, .contentHash))
                    b.text(bytes: text(i, .guid))
                    b.text(bytes: text(i, .link))
                    b.text(bytes: text(i, .title))
                    b.real(items[i].published?.timeIntervalSince1970)
                    b.real(firstSeen.timeIntervalSince1970)
                    b.text(bytes: text(i, .summary))
                    b.text(bytes: text(i, .content))
                }
                // SQLite's own calls: GRDB's properties check the queue they are on (a dispatch lookup) per item.
                guard (db.sqliteConnection.map { Int(sqlite3_changes($0)) } ?? db.changesCount) > 0 else { continue }
                let key = db.sqliteConnection.map { sqlite3_last_insert_rowid($0) } ?? db.lastInsertedRowID
                try insertAnalysis(itemKey: key, mentions: items[i].mentions, signals: items[i].signals, firstAsOf: [:], asOf: firstSeen)
                stored += 1
            }
            return stored
        }
    }

    /// Items whose date (published, else first seen) is on or after `since`, to analyse again: one
    /// at a time, in the order they were stored, read from the table as `body` goes (a month of
    /// stored items with their texts held at once was hundreds of megabytes; ordered by id, SQLite
    /// sorted them all first). `body` may write analyses, and an item's content hash.
    public func forEachItem(since: Date, _ body: (StoredItem) throws -> Void) throws {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT key, id, title, summary, content FROM items WHERE COALESCE(published, first_seen) >= ? ORDER BY key
            """), arguments: [since.timeIntervalSince1970])
        while let row = try rows.next() {
            try body(StoredItem(key: row["key"], id: row["id"], title: row["title"], summary: row["summary"], content: row["content"]))
        }
    }

    /// Replaces an item's analysis; a signal found before keeps the run it was first found in.
    /// `contentHash` is the item's (`NewItem.contentHash`): kept when the item has signals now and
    /// had none before, so that its signals carry it.
    public func replaceAnalysis(itemKey: Int64, contentHash: String, mentions: [(vendor: String, alias: String, count: Int)],
                                signals: [StoredSignal], asOf: Date) throws {
        if !signals.isEmpty, !contentHash.isEmpty {
            try db.cachedStatement(sql: "UPDATE items SET content_hash = ? WHERE key = ? AND content_hash = ''")
                .execute(arguments: [contentHash, itemKey])
        }
        var firstAsOf: [String: Double] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT vendor, category, rule, first_as_of FROM signals WHERE item = ?"),
                                    arguments: [itemKey]) {
            firstAsOf["\(row["vendor"] as String)\u{1}\(row["category"] as String)\u{1}\(row["rule"] as String)"] = row["first_as_of"]
        }
        try db.cachedStatement(sql: "DELETE FROM mentions WHERE item = ?").execute(arguments: [itemKey])
        try db.cachedStatement(sql: "DELETE FROM signals WHERE item = ?").execute(arguments: [itemKey])
        try insertAnalysis(itemKey: itemKey, mentions: mentions, signals: signals, firstAsOf: firstAsOf, asOf: asOf)
    }

    private func insertAnalysis(itemKey: Int64, mentions: [(vendor: String, alias: String, count: Int)],
                                signals: [StoredSignal], firstAsOf: [String: Double], asOf: Date) throws {
        if !mentions.isEmpty {
            let m = try insert(\.mention, sql: "INSERT INTO mentions (item, vendor, alias, count) VALUES (?, ?, ?, ?)")
            for mention in mentions {
                try m.run { b in
                    b.integer(itemKey)
                    b.text(mention.vendor)
                    b.text(mention.alias)
                    b.integer(Int64(mention.count))
                }
            }
        }
        guard !signals.isEmpty else { return }
        let s = try insert(\.signal, sql: """
            INSERT INTO signals (item, vendor, category, rule, weight, evidence, first_as_of,
                                 item_id, feed_id, content_hash, title, link, published, first_seen)
            SELECT key, ?, ?, ?, ?, ?, ?, id, feed_id, content_hash, title, link, published, first_seen FROM items WHERE key = ?
            """)
        for signal in signals {
            let key = "\(signal.vendor)\u{1}\(signal.category)\u{1}\(signal.rule)"
            try s.run { b in
                b.text(signal.vendor)
                b.text(signal.category)
                b.text(signal.rule)
                b.real(signal.weight)
                b.text(signal.evidence)
                b.real(firstAsOf[key] ?? asOf.timeIntervalSince1970)
                b.integer(itemKey)
            }
        }
    }

    /// Every stored signal whose item is dated on or after `since` (and not after `asOf`), found
    /// through the index on the item's date that each signal carries. `CROSS JOIN` keeps the
    /// signals as the outer loop (each feed found by its id).
    public func scoringSignals(since: Date, asOf: Date) throws -> [ScoringSignal] {
        var signals: [ScoringSignal] = []
        try eachRow(db.cachedStatement(sql: Self.scoringSignalsSQL), arguments: [since.timeIntervalSince1970, asOf.timeIntervalSince1970]) { row in
            let published = row.double(7).map { Date(timeIntervalSince1970: $0) }
            let firstSeen = Date(timeIntervalSince1970: row.double(8) ?? 0)
            signals.append(ScoringSignal(
                vendor: row.string(0) ?? "", category: row.string(1) ?? "", rule: row.string(2) ?? "", weight: row.double(3) ?? 0,
                date: published ?? firstSeen, published: published, feed: row.string(11) ?? "",
                itemID: row.string(5) ?? "", contentHash: row.string(6) ?? "", title: row.string(9), link: row.string(10),
                evidence: row.string(4) ?? ""))
        }
        return signals
    }

    static let scoringSignalsSQL = """
        SELECT s.vendor, s.category, s.rule, s.weight, s.evidence, s.item_id, s.content_hash,
               s.published, s.first_seen, s.title, s.link, f.source
        FROM signals s CROSS JOIN feeds f ON f.id = s.feed_id
        WHERE COALESCE(s.published, s.first_seen) BETWEEN ? AND ?
        ORDER BY s.item_id, s.vendor, s.category, s.rule
        """

    public func countSignals(firstFoundAt asOf: Date) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signals WHERE first_as_of = ?", arguments: [asOf.timeIntervalSince1970]) ?? 0
    }

    // MARK: - Analysis inputs

    public func analysisInput(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM analysis_inputs WHERE key = ?", arguments: [key])
    }

    public func setAnalysisInput(_ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO analysis_inputs (key, value) VALUES (?, ?)", arguments: [key, value])
    }

    // MARK: - Runs and scores

    /// Stores a run and its scores, replacing a run with the same as-of.
    public func saveRun(_ run: RunRecord, scores: [VendorScore]) throws {
        try db.execute(sql: "DELETE FROM runs WHERE as_of = ?", arguments: [run.asOf.timeIntervalSince1970])
        try db.execute(sql: """
            INSERT INTO runs (as_of, status, rules_version, rules_sha256, catalogue_sha256, feeds_read, feeds_not_modified,
                              items_read, items_new, new_signals)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.asOf.timeIntervalSince1970, run.status, run.rulesVersion, run.rulesSHA256, run.catalogueSHA256,
                             run.feedsRead, run.feedsNotModified, run.itemsRead, run.itemsNew, run.newSignals])
        let runID = db.lastInsertedRowID
        for f in run.failures {
            try db.cachedStatement(sql: "INSERT INTO run_feed_failures (run_id, feed, error, consecutive_failures) VALUES (?, ?, ?, ?)")
                .execute(arguments: [runID, f.feed, f.error, f.consecutiveFailures])
        }
        for s in run.skips {
            try db.cachedStatement(sql: "INSERT INTO run_feed_skips (run_id, feed, until) VALUES (?, ?, ?)")
                .execute(arguments: [runID, s.feed, s.until.timeIntervalSince1970])
        }
        for (rank, s) in scores.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO scores (run_id, vendor, score, band, rank) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [runID, s.vendor, s.score, s.band.rawValue, rank + 1])
        }
    }

    /// The run at exactly `asOf`, or the latest one at or before it.
    public func run(atOrBefore asOf: Date?) throws -> RunRecord? {
        let row: Row?
        if let asOf {
            row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE as_of <= ? ORDER BY as_of DESC LIMIT 1",
                                   arguments: [asOf.timeIntervalSince1970])
        } else {
            row = try Row.fetchOne(db, sql: "SELECT * FROM runs ORDER BY as_of DESC LIMIT 1")
        }
        return try row.map(runRecord)
    }

    /// The latest run with an earlier as-of: "the previous run".
    public func run(before asOf: Date) throws -> RunRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE as_of < ? ORDER BY as_of DESC LIMIT 1",
                         arguments: [asOf.timeIntervalSince1970]).map(runRecord)
    }

    public func scores(runID: Int64) throws -> [String: StoredScore] {
        var out: [String: StoredScore] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT vendor, score, band FROM scores WHERE run_id = ?", arguments: [runID]) {
            let s = StoredScore(vendor: row["vendor"], score: row["score"], band: row["band"])
            out[s.vendor] = s
        }
        return out
    }

    private func runRecord(_ row: Row) throws -> RunRecord {
        let id: Int64 = row["id"]
        let failures = try Row.fetchAll(db, sql: "SELECT feed, error, consecutive_failures FROM run_feed_failures WHERE run_id = ? ORDER BY rowid",
                                        arguments: [id]).map {
            FeedFailure(feed: $0["feed"], error: $0["error"], consecutiveFailures: $0["consecutive_failures"])
        }
        let skips = try Row.fetchAll(db, sql: "SELECT feed, until FROM run_feed_skips WHERE run_id = ? ORDER BY rowid",
                                     arguments: [id]).map {
            FeedSkip(feed: $0["feed"], until: Date(timeIntervalSince1970: $0["until"]))
        }
        return RunRecord(id: id, asOf: Date(timeIntervalSince1970: row["as_of"]), status: row["status"],
                         rulesVersion: row["rules_version"], rulesSHA256: row["rules_sha256"],
                         catalogueSHA256: row["catalogue_sha256"], feedsRead: row["feeds_read"],
                         feedsNotModified: row["feeds_not_modified"], itemsRead: row["items_read"],
                         itemsNew: row["items_new"], newSignals: row["new_signals"], failures: failures, skips: skips)
    }
}
