import GRDB
import GRDBSQLite

/// Runs a cached INSERT with its values bound through SQLite's C API. A night's run inserts a row
/// per item, mention and signal on one thread: building GRDB's `StatementArguments` (a boxed value
/// per column) and binding text through C strings (a `strlen` per value) took more of that
/// thread than SQLite did.
struct FastInsert {
    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds the values `bind` gives, in column order, and runs the statement once.
    func run(_ bind: (inout Binder) -> Void) throws {
        let handle = statement.sqliteStatement
        var binder = Binder(handle: handle)
        bind(&binder)
        let code = binder.texts.withUnsafeBufferPointer { Self.step(handle, texts: $0, from: 0) }
        sqlite3_reset(handle)
        // The texts were lent, not copied: nothing may stay bound to them.
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Binds each text to its own bytes (no copy: an item's summary and content are kilobytes, and
    /// SQLite's copy was an allocation and a copy per column) and steps while they are all lent.
    private static func step(_ handle: OpaquePointer, texts: UnsafeBufferPointer<(index: Int32, text: String)>, from k: Int) -> Int32 {
        guard k < texts.count else { return sqlite3_step(handle) }
        var text = texts[k].text
        return text.withUTF8 { b in
            // An empty buffer may have no address, and a null pointer binds NULL, not "".
            if let base = b.baseAddress, b.count > 0 {
                // No destructor (SQLITE_STATIC): SQLite reads the bytes where they are.
                _ = sqlite3_bind_text(handle, texts[k].index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                      Int32(b.count), nil)
            } else {
                _ = sqlite3_bind_text(handle, texts[k].index, "", 0, Binder.copied)
            }
            return step(handle, texts: texts, from: k + 1)
        }
    }

    struct Binder {
        let handle: OpaquePointer
        private var index: Int32 = 1
        /// Texts are bound in `run`, around the step.
        fileprivate var texts: [(index: Int32, text: String)] = []

        init(handle: OpaquePointer) {
            self.handle = handle
            texts.reserveCapacity(10)
        }

        /// SQLite copies the bytes (SQLITE_TRANSIENT).
        fileprivate static let copied = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        mutating func text(_ value: String?) {
            if let value { texts.append((index, value)) } else { sqlite3_bind_null(handle, index) }
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
    }
}
