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
        var s = formatted(v, "%.4f")
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// `String(format: format, v)` for one double, through the C library's formatter (the one
    /// Foundation's formatting uses for it too, in the same "C" locale): Foundation's own path
    /// boxed the argument and looked up its protocol conformances for every number, most of the
    /// time a report of thousands of contributions took to render.
    public static func formatted(_ v: Double, _ format: StaticString) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let cFormat = UnsafeRawPointer(format.utf8Start).assumingMemoryBound(to: CChar.self)
            let count = withVaList([v]) { vsnprintf(buffer.baseAddress!, 64, cFormat, $0) }
            // A number too long for the buffer (a huge magnitude) goes the long way.
            guard count >= 0, count < 64 else { return String(format: "\(format)", v) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(count)), as: UTF8.self)
        }
    }

    public static func array(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }

    /// An object from key/value pairs whose values are already JSON.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
