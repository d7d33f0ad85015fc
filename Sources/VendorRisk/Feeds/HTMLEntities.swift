import CLibXML2

/// Named character references: XML's five plus HTML 4's 253, answered from libxml2's own table.
///
/// `htmlEntityLookup` is a linear search, so answers are memoised per instance (one per parse,
/// never shared between threads).
final class EntityTable {
    private var memo: [String: UInt32] = [:]
    private var misses: Set<String> = []

    func codePoint(named name: UnsafeBufferPointer<UInt8>) -> UInt32? {
        switch name.count {
        case 2 where name[0] == 0x6C && name[1] == 0x74: return 0x3C  // lt
        case 2 where name[0] == 0x67 && name[1] == 0x74: return 0x3E  // gt
        case 3 where name[0] == 0x61 && name[1] == 0x6D && name[2] == 0x70: return 0x26  // amp
        default: break
        }
        let key = String(decoding: name, as: UTF8.self)
        if let hit = memo[key] { return hit }
        if misses.contains(key) { return nil }
        var value: UInt32?
        if key == "apos" {
            value = 0x27
        } else {
            key.withCString { cName in
                cName.withMemoryRebound(to: xmlChar.self, capacity: name.count + 1) { p in
                    if let desc = htmlEntityLookup(p) { value = desc.pointee.value }
                }
            }
        }
        if let value { memo[key] = value } else { misses.insert(key) }
        return value
    }
}

enum CharacterReference {
    /// Numeric references in 128...159 name Windows-1252 characters in real feeds (as browsers
    /// read them), not C1 controls.
    static let windows1252: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// The code point a numeric reference should stand for, repaired where XML forbids it.
    static func sanitized(_ value: UInt32) -> UInt32 {
        switch value {
        case 0x80...0x9F: return windows1252[Int(value - 0x80)]
        case 0x09, 0x0A, 0x0D: return value
        case 0..<0x20, 0xD800...0xDFFF, 0xFFFE, 0xFFFF, 0x110000...: return 0xFFFD
        default: return value
        }
    }

    /// Parses the digits of `&#...;` / `&#x...;` (without `&#` and `;`).
    static func parseNumber(_ digits: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard !digits.isEmpty else { return nil }
        var value: UInt32 = 0
        var i = 0
        let hex = digits[0] == 0x78 || digits[0] == 0x58
        if hex { i = 1 }
        guard i < digits.count else { return nil }
        while i < digits.count {
            let c = digits[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66 where hex: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46 where hex: d = UInt32(c - 0x41 + 10)
            default: return nil
            }
            value = value &* (hex ? 16 : 10) &+ d
            if value > 0x10FFFF { value = 0x110000 }
            i += 1
        }
        return value
    }

    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        UTF8.encode(scalar) { out.append($0) }
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isNameStart: Bool { isASCIILetter || self == 0x5F || self == 0x3A }
    var isNameChar: Bool { isNameStart || isASCIIDigit || self == 0x2D || self == 0x2E }
    var isXMLSpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
    var asciiLowercased: UInt8 { (self >= 0x41 && self <= 0x5A) ? self | 0x20 : self }
}
