import Foundation

/// Eight-bytes-at-a-time scans for the hot loops (sanitizer, text folding, JSON escaping).
///
/// Each function returns the index of the first byte at or after `start` that may need
/// attention; a word holding such a byte is then walked byte by byte by the caller, so the
/// word tests only have to be exact about "none here".
enum ByteScan {
    /// The index of the first `byte` in `base[start..<end]` (by `memchr`), nil when there is none.
    static func firstIndex(of byte: UInt8, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard start < end, let hit = memchr(base + start, Int32(byte), end - start) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }

    @inline(__always)
    private static func hasLess(_ v: UInt64, _ n: UInt8) -> Bool { (v &- ones &* UInt64(n)) & ~v & highs != 0 }

    @inline(__always)
    private static func has(_ v: UInt64, _ b: UInt8) -> Bool { hasZero(v ^ (ones &* UInt64(b))) }

    /// First byte that is not plain ASCII text for XML: control, non-ASCII, '<' or '&'.
    static func xmlSpecial(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(base)
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if w & highs != 0 || hasLess(w, 0x20) || has(w, 0x3C) || has(w, 0x26) { break }
            i += 8
        }
        return i
    }

    /// How far eight-byte blocks with no line feed and no space followed by a space or line feed
    /// reach from `start` (a block's last byte is tested with the next block's first); nil when
    /// fewer than nine bytes are left. Runs that fold to one space start only past that point.
    static func foldableSpace(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard start + 9 <= end else { return nil }
        var i = start
        let raw = UnsafeRawPointer(base)
        while i + 9 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let after = raw.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self)
            if has(w, 0x0A) { break }
            // A space whose next byte is a space or a line feed.
            if zeroMask(w ^ ones &* 0x20) & (zeroMask(after ^ ones &* 0x20) | zeroMask(after ^ ones &* 0x0A)) != 0 { break }
            i += 8
        }
        return i
    }

    /// First byte that CDATA cannot copy without a look: control, non-ASCII or ']'.
    static func cdataSpecial(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(base)
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if w & highs != 0 || hasLess(w, 0x20) || has(w, 0x5D) { break }
            i += 8
        }
        return i
    }

    /// First byte a JSON string must escape: control, '"' or '\'.
    static func jsonSpecial(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(base)
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if hasLess(w, 0x20) || has(w, 0x22) || has(w, 0x5C) { break }
            i += 8
        }
        return i
    }

    /// First byte that may start white space to fold: a control character, 0xC2 (the lead
    /// byte of NBSP) or a space next to another space. Single spaces between words are already
    /// folded and are skipped eight bytes at a time.
    static func foldCandidate(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(base)
        var previousWasSpace = start > 0 && base[start - 1] == 0x20
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if hasLess(w, 0x20) || has(w, 0xC2) { break }
            let spaces = zeroMask(w ^ 0x2020_2020_2020_2020)
            if spaces & (spaces >> 8) != 0 { break }
            if previousWasSpace && spaces & 0x80 != 0 { break }
            previousWasSpace = spaces >> 63 != 0
            i += 8
        }
        return i
    }

    /// 0x80 in every byte of `v` that is zero, 0 elsewhere (exact, unlike `hasZero`).
    @inline(__always)
    private static func zeroMask(_ v: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((v & low) &+ low) | v | low)
    }
}
