#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a feed's bytes, in whatever encoding they arrive, into UTF-8 for the sanitizer.
///
/// libxml2 trusts the encoding declaration even when it lies, so the decision is made here from
/// the byte order mark, the byte pattern of `<?xml`, the declaration and the bytes themselves, and
/// libxml2 then parses with `XML_PARSE_IGNORE_ENC`. The first chunk decides; later chunks stream
/// through the same converter.
struct InputDecoder {
    enum Source: Equatable {
        case utf8
        case converted(String)
    }

    private(set) var source: Source?
    private var converter: Transcoder?
    private var pendingStart: [UInt8] = []
    private(set) var warnings: [String] = []

    /// Decodes a chunk; the first call needs at least a few hundred bytes (or `final`) to decide.
    mutating func decode(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool,
                         body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if source == nil {
            pendingStart.append(contentsOf: chunk)
            guard pendingStart.count >= 1024 || final else { return }
            let start = pendingStart
            pendingStart = []
            var offset = 0
            decide(start, bomLength: &offset)
            start.withUnsafeBufferPointer { all in
                emit(UnsafeBufferPointer(rebasing: all[offset...]), final: final, body: body)
            }
            return
        }
        emit(chunk, final: final, body: body)
    }

    private mutating func emit(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool,
                               body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if converter == nil {
            body(bytes)
        } else {
            let converted = converter!.convert(bytes, final: final)
            converted.withUnsafeBufferPointer(body)
        }
    }

    private mutating func decide(_ head: [UInt8], bomLength: inout Int) {
        func has(_ prefix: [UInt8]) -> Bool { head.starts(with: prefix) }
        var encoding: String?
        if has([0xEF, 0xBB, 0xBF]) { bomLength = 3 }
        else if has([0xFF, 0xFE, 0, 0]) { encoding = "UTF-32LE"; bomLength = 4 }
        else if has([0, 0, 0xFE, 0xFF]) { encoding = "UTF-32BE"; bomLength = 4 }
        else if has([0xFF, 0xFE]) { encoding = "UTF-16LE"; bomLength = 2 }
        else if has([0xFE, 0xFF]) { encoding = "UTF-16BE"; bomLength = 2 }
        else if has([0x3C, 0, 0, 0]) { encoding = "UTF-32LE" }
        else if has([0, 0, 0, 0x3C]) { encoding = "UTF-32BE" }
        else if has([0x3C, 0, 0x3F, 0]) || has([0x3C, 0, 0x72, 0]) || has([0x3C, 0, 0x66, 0]) { encoding = "UTF-16LE" }
        else if has([0, 0x3C, 0, 0x3F]) || has([0, 0x3C, 0, 0x72]) || has([0, 0x3C, 0, 0x66]) { encoding = "UTF-16BE" }
        if encoding == nil, bomLength == 0 {
            encoding = Self.chooseASCIICompatible(head, declared: Self.declaredEncoding(head), warnings: &warnings)
        }
        guard let encoding else { source = .utf8; return }
        if let t = Transcoder(from: encoding) {
            converter = t
            source = .converted(encoding)
        } else {
            warnings.append("unknown encoding '\(encoding)', read as UTF-8")
            source = .utf8
        }
    }

    /// nil means UTF-8; otherwise the iconv name to convert from.
    private static func chooseASCIICompatible(_ head: [UInt8], declared: String?, warnings: inout [String]) -> String? {
        let looksUTF8 = Self.validUTF8Prefix(head)
        guard let declared else {
            // No declaration: XML says UTF-8, but legacy bytes are common in the wild.
            if looksUTF8 != false { return nil }
            warnings.append("undeclared encoding is not UTF-8; read as windows-1252")
            return "WINDOWS-1252"
        }
        let name = declared.uppercased()
        switch name {
        case "UTF-8", "UTF8", "US-ASCII", "ASCII":
            if looksUTF8 != false { return nil }
            warnings.append("declared \(declared) but the bytes are not; read as windows-1252")
            return "WINDOWS-1252"
        case "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UCS-2", "UCS-4":
            // A 16-bit encoding would have shown in the first bytes: the declaration lies.
            warnings.append("declared \(declared) but the bytes are 8-bit; read as UTF-8")
            return nil
        default:
            break
        }
        if looksUTF8 == true {
            warnings.append("declared \(declared) but the bytes are UTF-8; read as UTF-8")
            return nil
        }
        // ISO-8859-1 is read as its superset windows-1252, as browsers and feed readers do.
        if name == "ISO-8859-1" || name == "LATIN1" || name == "ISO_8859-1" || name == "LATIN-1" {
            return "WINDOWS-1252"
        }
        return declared
    }

    /// true: non-ASCII bytes that are valid UTF-8 (a stray invalid byte among many valid sequences
    /// still counts: that is a damaged UTF-8 feed, not a legacy one); false: invalid UTF-8 only;
    /// nil: pure ASCII, undecided.
    static func validUTF8Prefix(_ bytes: [UInt8]) -> Bool? {
        bytes.withUnsafeBufferPointer(validUTF8Prefix)
    }

    private static func validUTF8Prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var valid = 0, invalid = 0
        var i = 0
        let n = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        while i < n {
            // Feeds are mostly ASCII: 32 bytes, else eight, at a time while no high bit is set.
            if i + 32 <= n, (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                & 0x8080_8080_8080_8080 == 0 {
                i += 32
                continue
            }
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            var length = 0
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: break
            }
            if length == 0 { invalid += 1; i += 1; continue }
            if i + length > n { break }  // cut by the chunk boundary
            if (1..<length).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }) {
                valid += 1
                i += length
            } else {
                invalid += 1
                i += 1
            }
        }
        if valid == 0 && invalid == 0 { return nil }
        return valid >= invalid
    }

    /// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration.
    static func declaredEncoding(_ head: [UInt8]) -> String? {
        guard head.starts(with: Array("<?xml".utf8)) else { return nil }
        let limit = min(head.count, 512)
        guard let end = head[0..<limit].firstIndex(of: 0x3E) else { return nil }
        let decl = String(decoding: head[0..<end], as: UTF8.self)
        guard let range = decl.range(of: "encoding") else { return nil }
        var rest = decl[range.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "\t" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        let value = rest.prefix(while: { $0 != quote })
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// A streaming iconv conversion to UTF-8 that replaces what it cannot convert with U+FFFD.
final class Transcoder {
    private let cd: iconv_t
    private var carry: [UInt8] = []

    init?(from encoding: String) {
        let cd = iconv_open("UTF-8", encoding)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        self.cd = cd
    }

    deinit { iconv_close(cd) }

    func convert(_ input: UnsafeBufferPointer<UInt8>, final: Bool) -> [UInt8] {
        var source = carry
        source.append(contentsOf: input)
        carry = []
        var out = [UInt8](repeating: 0, count: source.count * 4 + 16)
        var produced = 0
        source.withUnsafeMutableBufferPointer { src in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(src.baseAddress)?.assumingMemoryBound(to: CChar.self)
            var inLeft = src.count
            while inLeft > 0 {
                let result: Int = out.withUnsafeMutableBufferPointer { dst in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress! + produced).assumingMemoryBound(to: CChar.self)
                    var outLeft = dst.count - produced
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    produced = dst.count - outLeft
                    return r
                }
                if result != -1 { break }
                switch errno {
                case E2BIG:
                    out.append(contentsOf: [UInt8](repeating: 0, count: out.count))
                case EINVAL where !final:
                    // An incomplete sequence at the end: keep it for the next chunk.
                    carry = Array(UnsafeBufferPointer(start: UnsafeRawPointer(inPtr!).assumingMemoryBound(to: UInt8.self), count: inLeft))
                    inLeft = 0
                default:
                    if produced + 3 > out.count { out.append(contentsOf: [0, 0, 0, 0]) }
                    out[produced] = 0xEF; out[produced + 1] = 0xBF; out[produced + 2] = 0xBD
                    produced += 3
                    inPtr = inPtr! + 1
                    inLeft -= 1
                }
            }
        }
        out.removeSubrange(produced...)
        return out
    }
}

import Foundation
