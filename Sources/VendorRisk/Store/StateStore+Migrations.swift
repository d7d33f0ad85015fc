import GRDB

extension StateStore {
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
        m.registerMigration("v3: items keyed by row id") { db in
            // Mentions and signals point at their item's integer row id instead of its 32-hex id,
            // and the items have one index, (feed, id), where they had two (id, and feed with id).
            // A night inserting 100,000 items searched the id index twice per item (once to
            // insert, once more for each mention's foreign key) and the mention index by a 32-byte
            // key at random places; row ids only grow, so the mention and signal indexes now grow
            // at their end. The ids stay, unique within their feed (they are derived from it).
            // Nothing looks signals up by vendor (scores group the window's signals in memory): that
            // index of v1 is not made again.
            // SQLite's way to change a table: new tables, copied, the old ones dropped, renamed
            // (GRDB turns foreign keys off during a migration and checks them all at its end).
            try db.execute(sql: """
                CREATE TABLE items_v3 (
                    key INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
                    content_hash TEXT NOT NULL,
                    guid TEXT, link TEXT, title TEXT,
                    published REAL, first_seen REAL NOT NULL,
                    summary TEXT, content TEXT
                );
                INSERT INTO items_v3 (key, id, feed_id, content_hash, guid, link, title, published, first_seen, summary, content)
                    SELECT rowid, id, feed_id, content_hash, guid, link, title, published, first_seen, summary, content
                    FROM items ORDER BY rowid;
                CREATE TABLE mentions_v3 (
                    item INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                    vendor TEXT NOT NULL, alias TEXT NOT NULL, count INTEGER NOT NULL
                );
                INSERT INTO mentions_v3 (item, vendor, alias, count)
                    SELECT i.rowid, m.vendor, m.alias, m.count FROM mentions m JOIN items i ON i.id = m.item_id ORDER BY m.rowid;
                CREATE TABLE signals_v3 (
                    item INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                    vendor TEXT NOT NULL, category TEXT NOT NULL, rule TEXT NOT NULL,
                    weight REAL NOT NULL, evidence TEXT NOT NULL,
                    first_as_of REAL NOT NULL
                );
                INSERT INTO signals_v3 (item, vendor, category, rule, weight, evidence, first_as_of)
                    SELECT i.rowid, s.vendor, s.category, s.rule, s.weight, s.evidence, s.first_as_of
                    FROM signals s JOIN items i ON i.id = s.item_id ORDER BY s.rowid;
                DROP TABLE mentions;
                DROP TABLE signals;
                DROP TABLE items;
                ALTER TABLE items_v3 RENAME TO items;
                ALTER TABLE mentions_v3 RENAME TO mentions;
                ALTER TABLE signals_v3 RENAME TO signals;
                CREATE UNIQUE INDEX items_by_feed_and_id ON items(feed_id, id);
                CREATE INDEX mentions_by_item ON mentions(item);
                CREATE INDEX signals_by_item ON signals(item);
                """)
        }
        m.registerMigration("v4: signals carry their item's facts") { db in
            // Scoring reads the signals dated inside its window. It read every signal ever stored,
            // each joined to its item for the item's date (a year of nights: a million random
            // item rows, each on a 16 KiB page with the item's text, every night). Now each signal
            // keeps the facts of its item that scoring and the reports show (items never change
            // once stored), and an index on the item's date finds the window's signals. The run's
            // count of new signals scanned them all too: an index on the run they were found in.
            try db.execute(sql: """
                ALTER TABLE signals ADD COLUMN item_id TEXT;
                ALTER TABLE signals ADD COLUMN feed_id INTEGER;
                ALTER TABLE signals ADD COLUMN content_hash TEXT;
                ALTER TABLE signals ADD COLUMN title TEXT;
                ALTER TABLE signals ADD COLUMN link TEXT;
                ALTER TABLE signals ADD COLUMN published REAL;
                ALTER TABLE signals ADD COLUMN first_seen REAL;
                UPDATE signals SET (item_id, feed_id, content_hash, title, link, published, first_seen) =
                    (SELECT id, feed_id, content_hash, title, link, published, first_seen FROM items WHERE key = signals.item);
                CREATE INDEX signals_by_date ON signals(COALESCE(published, first_seen));
                CREATE INDEX signals_by_first_run ON signals(first_as_of);
                """)
        }
        return m
    }
}
