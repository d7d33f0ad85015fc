import GRDB
import GRDBSQLite

/// Runs a cached INSERT with its values bound through SQLite's C API. A night's run inserts a row
/// per item, mention and signal on one thread: building GRDB's `StatementArguments` (a boxed value
/// per column) and binding text through C strings (a `strlen` per value) took more of that
/// thread than SQLite did.
struct FastInsert {
    private let statement: Statement
    private let db: Database
    /// The texts of the row being bound, end to end: copied there and lent to SQLite from there.
    private let scratch = Scratch()

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds the values `bind` gives, in column order, and runs the statement once.
    func run(_ bind: (inout Binder) -> Void) throws {
        let handle = statement.sqliteStatement
        var binder = Binder(handle: handle, scratch: scratch)
        bind(&binder)
        binder.bindTexts()
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        // The texts were lent, not copied: nothing may stay bound to them.
        sqlite3_clear_bindings(handle)
        scratch.clear()
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Room for a row's texts, kept from row to row (mentions and signals; items bind theirs from
    /// `NewItems`). The texts are copied in (a copy costs less than SQLite's own, which was an
    /// allocation per column) rather than lent where they are, which held a retain of each
    /// string, made on another thread, for the step.
    final class Scratch {
        // Used by one thread at a time, the storing thread's: no exclusivity checks per access.
        @exclusivity(unchecked) private(set) var base = UnsafeMutableRawPointer.allocate(byteCount: 1 << 14, alignment: 8)
        @exclusivity(unchecked) private var capacity = 1 << 14
        @exclusivity(unchecked) private(set) var used = 0
        /// (column, offset, length) of each text, bound once every text is in place.
        @exclusivity(unchecked) fileprivate var texts: [(index: Int32, offset: Int, count: Int)] = []

        init() { texts.reserveCapacity(16) }
        deinit { base.deallocate() }

        fileprivate func append(_ bytes: UnsafeBufferPointer<UInt8>, column: Int32) {
            if used + bytes.count > capacity {
                let bigger = max(capacity * 2, used + bytes.count)
                let grown = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 8)
                grown.copyMemory(from: base, byteCount: used)
                base.deallocate()
                base = grown
                capacity = bigger
            }
            if let from = bytes.baseAddress, bytes.count > 0 { (base + used).copyMemory(from: from, byteCount: bytes.count) }
            texts.append((column, used, bytes.count))
            used += bytes.count
        }

        fileprivate func clear() {
            used = 0
            texts.removeAll(keepingCapacity: true)
        }
    }

    struct Binder {
        let handle: OpaquePointer
        fileprivate let scratch: Scratch
        private var index: Int32 = 1

        fileprivate init(handle: OpaquePointer, scratch: Scratch) {
            self.handle = handle
            self.scratch = scratch
        }

        /// SQLite copies the bytes (SQLITE_TRANSIENT).
        private static let copied = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        mutating func text(_ value: String?) {
            if let value { text(value) } else {
                sqlite3_bind_null(handle, index)
                index += 1
            }
        }

        /// (Not through the optional: wrapping a string read in place in one was a copy of it.)
        mutating func text(_ value: String) {
            let column = index
            // A native string's bytes are read where they are; another is made native first.
            if value.utf8.withContiguousStorageIfAvailable({ scratch.append($0, column: column) }) == nil {
                var copy = value
                copy.withUTF8 { scratch.append($0, column: column) }
            }
            index += 1
        }

        /// Text bound where it lies (SQLITE_STATIC): `bytes` must stay valid until the statement
        /// has run. Nil binds NULL.
        mutating func text(bytes: UnsafeBufferPointer<UInt8>?) {
            if let bytes {
                if let base = bytes.baseAddress, bytes.count > 0 {
                    _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                          Int32(bytes.count), nil)
                } else {
                    // A null pointer would bind NULL, not "".
                    _ = sqlite3_bind_text(handle, index, "", 0, Self.copied)
                }
            } else {
                sqlite3_bind_null(handle, index)
            }
            index += 1
        }

        mutating func integer(_ value: Int64) {
            sqlite3_bind_int64(handle, index, value)
            index += 1
        }

        mutating func real(_ value: Double?) {
            if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
            index += 1
        }

        /// Binds the texts to their bytes in the scratch, which no longer moves (no destructor,
        /// SQLITE_STATIC: SQLite reads them where they are, until the bindings are cleared).
        fileprivate func bindTexts() {
            for t in scratch.texts {
                if t.count > 0 {
                    _ = sqlite3_bind_text(handle, t.index, (scratch.base + t.offset).assumingMemoryBound(to: CChar.self),
                                          Int32(t.count), nil)
                } else {
                    // A null pointer would bind NULL, not "".
                    _ = sqlite3_bind_text(handle, t.index, "", 0, Self.copied)
                }
            }
        }
    }
}
