import Foundation

/// `trimmingCharacters(in:)` for the catalogue's cells, without Foundation when there is nothing to
/// trim: text that starts and ends with an ASCII character outside the set. Foundation's call
/// cost several microseconds a cell, most of reading a large catalogue.
enum Trimming {
    /// `s.trimmingCharacters(in: .whitespaces)`.
    static func whitespaces<S: StringProtocol>(_ s: S) -> String where S.UTF8View: BidirectionalCollection {
        trimmed(s, newlines: false)
    }

    /// `s.trimmingCharacters(in: .whitespacesAndNewlines)`.
    static func whitespacesAndNewlines<S: StringProtocol>(_ s: S) -> String where S.UTF8View: BidirectionalCollection {
        trimmed(s, newlines: true)
    }

    /// The ASCII members of the sets: tab and space; with newlines, also LF, VT, FF and CR.
    static func isTrimmed(_ b: UInt8, newlines: Bool) -> Bool {
        b == 0x20 || b == 0x09 || (newlines && b >= 0x0A && b <= 0x0D)
    }

    private static func trimmed<S: StringProtocol>(_ s: S, newlines: Bool) -> String where S.UTF8View: BidirectionalCollection {
        if let first = s.utf8.first, let last = s.utf8.last, first < 0x80, last < 0x80,
           !isTrimmed(first, newlines: newlines), !isTrimmed(last, newlines: newlines) {
            return String(s)
        }
        return s.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
