import CSQLiteSetup
import Foundation
import GRDB

/// The nightly run's state in SQLite. The only code that knows SQL: the other stages hand it
/// values and get values back.
public final class StateStore {
    let db: DatabaseQueue
    public let path: String

    /// Call once at process start, before any state is opened and while the process has one
    /// thread. Every connection is used by one thread at a time (GRDB serialises each), so SQLite's
    /// own locks around every call (its default, serialised mode) and its allocation statistics
    /// (a lock per allocation) only cost: on the nightly run's storing thread, about 1% of the CPU
    /// of a run. Without the call SQLite keeps its default mode and behaves the same.
    public static func prepareProcess() {
        _ = vr_sqlite_configure_multithread()
    }

    /// Opens (and migrates) the state file; `:memory:` is a database dropped at exit.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            var config = Configuration()
            config.foreignKeysEnabled = true
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in
                // A night's items go in in one transaction, and the item-id and mention indexes take
                // them in hash order: with SQLite's default 2 MiB cache their pages were spilled and
                // written again and again (2.4× the file's size written for a fresh state).
                // Most items (summary and content) are larger than a quarter of a 4 KiB page and went
                // to overflow pages. Takes effect only on a new, empty file; set before the cache
                // size, which is measured in pages of the current size.
                try db.execute(sql: "PRAGMA page_size = 16384")
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
            if path == ":memory:" {
                db = try DatabaseQueue(configuration: config)
            } else {
                db = try DatabaseQueue(path: path, configuration: config)
            }
            try Self.migrator.migrate(db)
        } catch {
            throw StoreError.open(path: path, reason: "\(error)")
        }
    }

    /// Registered once, in order; a migration that has landed is never edited (add a new one).
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE feeds (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL UNIQUE,
                    size INTEGER, mtime REAL, content_hash TEXT,
                    etag TEXT, last_modified TEXT, retry_until REAL,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT, title TEXT
                );
                CREATE TABLE items (
                    id TEXT PRIMARY KEY,
                    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
                    content_hash TEXT NOT NULL,
                    guid TEXT, link TEXT, title TEXT,
                    published REAL, first_seen REAL NOT NULL,
                    summary TEXT, content TEXT
                );
                CREATE INDEX items_by_feed ON items(feed_id);
                CREATE INDEX items_by_date ON items(first_seen);
                CREATE TABLE mentions (
                    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                    vendor TEXT NOT NULL, alias TEXT NOT NULL, count INTEGER NOT NULL
                );
                CREATE INDEX mentions_by_item ON mentions(item_id);
                CREATE TABLE signals (
                    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                    vendor TEXT NOT NULL, category TEXT NOT NULL, rule TEXT NOT NULL,
                    weight REAL NOT NULL, evidence TEXT NOT NULL,
                    first_as_of REAL NOT NULL
                );
                CREATE INDEX signals_by_item ON signals(item_id);
                CREATE INDEX signals_by_vendor ON signals(vendor);
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    as_of REAL NOT NULL UNIQUE,
                    status TEXT NOT NULL,
                    rules_version TEXT NOT NULL, rules_sha256 TEXT NOT NULL, catalogue_sha256 TEXT NOT NULL,
                    feeds_read INTEGER NOT NULL, feeds_not_modified INTEGER NOT NULL,
                    items_read INTEGER NOT NULL, items_new INTEGER NOT NULL, new_signals INTEGER NOT NULL
                );
                CREATE TABLE run_feed_failures (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    feed TEXT NOT NULL, error TEXT NOT NULL, consecutive_failures INTEGER NOT NULL
                );
                CREATE TABLE run_feed_skips (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    feed TEXT NOT NULL, until REAL NOT NULL
                );
                CREATE TABLE scores (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    vendor TEXT NOT NULL, score INTEGER NOT NULL, band TEXT NOT NULL, rank INTEGER NOT NULL,
                    PRIMARY KEY (run_id, vendor)
                );
                CREATE TABLE analysis_inputs (
                    key TEXT PRIMARY KEY, value TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("v2: known item ids from an index") { db in
            // A run looks up the item ids it already has, feed by feed: with the ids in the index
            // the lookup reads the index alone (4.5 MB for 100,000 items) instead of every item's
            // row (the whole file). Nothing searched by first_seen alone: its index only cost inserts.
            try db.execute(sql: """
                CREATE INDEX items_by_feed_and_id ON items(feed_id, id);
                DROP INDEX items_by_feed;
                DROP INDEX items_by_date;
                """)
        }
        return m
    }

    /// Runs `body` in one write transaction: everything it does lands, or nothing does.
    public func transaction<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try db.write { db in try body(StoreTransaction(db: db)) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw error
        }
    }

    /// Read-only access for `score` and `report`.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try db.read { db in try body(StoreTransaction(db: db)) }
    }
}

/// Why the state could not be used.
public enum StoreError: Error, CustomStringConvertible {
    case open(path: String, reason: String)
    case noRun(path: String)

    public var description: String {
        switch self {
        case let .open(path, reason): "\(path): cannot open the state database: \(reason)"
        case let .noRun(path): "\(path): no run is stored yet; run `vendor-risk run` first"
        }
    }
}
