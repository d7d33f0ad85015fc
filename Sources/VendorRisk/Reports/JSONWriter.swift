import Foundation

/// Streams JSON as UTF-8 bytes: no intermediate strings on the hot path of `parse`.
///
/// The caller writes keys and values in a fixed order, so equal input gives equal bytes.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = [false]
    }

    public mutating func beginObject() { separator(); bytes.append(0x7B); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(0x7D) }
    public mutating func beginArray() { separator(); bytes.append(0x5B); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(0x5D) }

    public mutating func key(_ name: StaticString) {
        separator()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [0x22, 0x3A])
        needsComma[needsComma.count - 1] = false
    }

    public mutating func key(_ name: String) {
        separator()
        appendQuoted(name, fold: false)
        bytes.append(0x3A)
        needsComma[needsComma.count - 1] = false
    }

    /// A string value; with `fold`, line breaks become spaces (library text keeps paragraphs).
    public mutating func string(_ value: String?, fold: Bool = false) {
        separator()
        guard let value else { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]); return }
        appendQuoted(value, fold: fold)
    }

    public mutating func time(_ value: Date?) { string(value.map(FeedDate.iso8601)) }

    public mutating func number(_ value: Double) {
        separator()
        bytes.append(contentsOf: JSONText.numberText(value).utf8)
    }

    public mutating func integer(_ value: Int) {
        separator()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ value: Bool) {
        separator()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        separator()
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
    }

    /// Already-encoded JSON.
    public mutating func raw(_ json: String) {
        separator()
        bytes.append(contentsOf: json.utf8)
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(0x2C) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendQuoted(_ value: String, fold: Bool) {
        bytes.append(0x22)
        var value = value
        value.withUTF8 { s in
            guard let base = s.baseAddress else { return }
            var i = 0
            let n = s.count
            while i < n {
                var j = ByteScan.jsonSpecial(base, i, n)
                while j < n {
                    let b = base[j]
                    if b < 0x20 || b == 0x22 || b == 0x5C { break }
                    j += 1
                }
                if j > i { bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i)) }
                guard j < n else { break }
                let b = base[j]
                i = j + 1
                switch b {
                case 0x0A where fold:
                    // TextBuilder never leaves spaces around breaks: "\n\n" folds to one space.
                    if i < n, base[i] == 0x0A { i += 1 }
                    bytes.append(0x20)
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                }
            }
        }
        bytes.append(0x22)
    }
}
