import CSQLiteSetup
import Foundation
import GRDB

/// The nightly run's state in SQLite. The only code that knows SQL: the other stages hand it
/// values and get values back.
public final class StateStore {
    let db: DatabaseQueue
    public let path: String
    /// The state file opened again, read-only, for `startWriteback` (-1 for `:memory:`).
    private let writebackFD: Int32

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
        writebackFD = path == ":memory:" ? -1 : open(path, O_RDONLY | O_CLOEXEC)
    }

    deinit {
        if writebackFD >= 0 { close(writebackFD) }
    }

    /// Asks the kernel to start writing to disk what SQLite has already written to the state file
    /// inside a long transaction (pages it spilled from its cache, each after its journal was
    /// synced), without waiting. A first night writes a few hundred megabytes; left to the commit's
    /// sync, they were written while the run stood still at its end (≈ 90 ms of the bench's run).
    /// Only when the kernel writes them changes: what reaches the disk, and in which order
    /// against the journal, stays SQLite's.
    public func startWriteback() {
        if writebackFD >= 0 { _ = vr_start_writeback(writebackFD) }
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
