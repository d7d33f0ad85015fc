import GRDB
import GRDBSQLite

extension StoreTransaction {
    /// Steps `statement` through SQLite's C API, reading each row's columns in place: the run's
    /// start reads a hundred thousand item ids and thousands of feed states, and GRDB's rows were
    /// a `Row`, a dictionary lookup per column and a decoded `String` per text.
    func eachRow(_ statement: Statement, arguments: StatementArguments, _ body: (RawRow) throws -> Void) throws {
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
            try body(RawRow(handle: handle))
        }
    }

    /// The current row of a statement being stepped; texts are lent until the next step.
    struct RawRow {
        let handle: OpaquePointer

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        func int64OrNil(_ column: Int32) -> Int64? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : int64(column)
        }

        func double(_ column: Int32) -> Double? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
        }

        /// The bytes of the column as text (empty for NULL).
        func text(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
            // The text first, then its length: SQLite's order when a value must be converted.
            let start = sqlite3_column_text(handle, column)
            return UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))
        }

        func string(_ column: Int32) -> String? {
            sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : String(decoding: text(column), as: UTF8.self)
        }
    }
}
