import Foundation

/// Hand-rolled JSON emission: outputs stream item by item, with a fixed key order so that the
/// same input always gives the same bytes.
public struct JSONText {
    public private(set) var text = ""

    public init() {}

    public static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { needsEscape = true; break }
        if !needsEscape {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case let c where c.value < 0x20:
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    public static func string(_ s: String?) -> String { s.map(quoted) ?? "null" }

    public static func time(_ d: Date?) -> String { d.map { quoted(FeedDate.iso8601($0)) } ?? "null" }

    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return String(format: "%.4f", v).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }

    public static func array(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }

    /// An object from key/value pairs whose values are already JSON.
    public static func object(_ pairs: KeyValuePairs<String, String>) -> String {
        var out = "{"
        var first = true
        for (k, v) in pairs {
            if !first { out += "," }
            first = false
            out += quoted(k) + ":" + v
        }
        return out + "}"
    }

    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
