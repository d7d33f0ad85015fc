/// Strings from UTF-8 bytes, as `String(decoding:as: UTF8.self)` makes them, checked faster.
///
/// The standard library checks text with any non-ASCII byte one byte at a time (seven
/// instructions a byte): for the reader's item texts, a few percent of a run. News text is ASCII
/// with a non-ASCII character here and there, so this check passes over eight bytes at a time
/// where no high bit is set and checks each multi-byte sequence exactly (Unicode's table 3-7);
/// bytes it passes become the string's as they are, anything else is left to the standard
/// library, which repairs it.
enum UTF8Strings {
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *), let ascii = validate(bytes) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        // Checked above: the bytes are valid UTF-8, as the unchecked span requires.
        return String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: ascii))
    }

    static func string(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { string($0) }
    }

    /// How many bytes the sequence a non-ASCII lead byte starts has, and the range its second
    /// byte must be in (the others are continuation bytes, 0x80-0xBF); nil for a byte no sequence
    /// starts with (Unicode's table 3-7: no overlong forms, surrogates or code points past U+10FFFF).
    @inline(__always)
    static func sequence(lead: UInt8) -> (length: Int, low: UInt8, high: UInt8)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80, 0xBF)
        case 0xE0: (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
        case 0xED: (3, 0x80, 0x9F)
        case 0xF0: (4, 0x90, 0xBF)
        case 0xF1...0xF3: (4, 0x80, 0xBF)
        case 0xF4: (4, 0x80, 0x8F)
        default: nil
        }
    }

    /// Whether the bytes are all ASCII, when they are valid UTF-8; nil when they are not.
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var ascii = true
        var i = 0
        while i < n {
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let lead = base[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            ascii = false
            guard let (length, low, high) = sequence(lead: lead), i + length <= n,
                  base[i + 1] >= low, base[i + 1] <= high else { return nil }
            for k in 2..<length where base[i + k] & 0xC0 != 0x80 { return nil }
            i += length
        }
        return ascii
    }
}
