import Foundation

/// Small JSON helpers for renderers that build a document as a `String`.
public enum JSONText {
    public static func quoted(_ s: String) -> String {
        var w = JSONWriter(capacity: s.utf8.count + 2)
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    public static func string(_ s: String?) -> String { s.map(quoted) ?? "null" }

    public static func time(_ d: Date?) -> String { d.map { quoted(FeedDate.iso8601($0)) } ?? "null" }

    /// Integers without a fraction; other numbers with at most four decimals, trailing zeros cut.
    public static func numberText(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    public static func array(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }

    /// An object from key/value pairs whose values are already JSON.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
