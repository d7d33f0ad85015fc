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
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    struct Binder {
        let handle: OpaquePointer
        private var index: Int32 = 1

        init(handle: OpaquePointer) { self.handle = handle }

        /// SQLite copies the bytes (the Swift string's buffer outlives no call).
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        mutating func text(_ value: String?) {
            if var value {
                value.withUTF8 { b in
                    // An empty buffer may have no address, and a null pointer binds NULL, not "".
                    if let base = b.baseAddress, b.count > 0 {
                        _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                              Int32(b.count), Self.transient)
                    } else {
                        _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    }
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
    }
}
