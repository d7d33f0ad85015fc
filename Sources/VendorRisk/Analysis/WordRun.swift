import Foundation

/// Whether one text holds another's words, in the same order and one after the other.
enum WordRun {
    /// True when `part`, each run of white space (line breaks included) read as any other run,
    /// is a piece of `text` that starts and ends at word boundaries (ASCII letters and digits, and
    /// any non-ASCII byte, are word bytes). Looks at no more than 16 places where the part's first
    /// byte occurs, then answers false: the work stays a few passes over the texts, whatever they
    /// hold.
    static func holds(_ text: String, _ part: String) -> Bool {
        var text = text, part = part
        return text.withUTF8 { t in
            part.withUTF8 { p in
                guard let tBase = t.baseAddress, let pBase = p.baseAddress else { return false }
                var first = 0
                while first < p.count, p[first].isXMLSpace { first += 1 }
                var last = p.count
                while last > first, p[last - 1].isXMLSpace { last -= 1 }
                guard last > first else { return false }
                let words = UnsafeBufferPointer(start: pBase + first, count: last - first)
                var from = 0
                for _ in 0..<16 {
                    guard let at = ByteScan.firstIndex(of: words[0], tBase, from, t.count) else { return false }
                    if let end = matchEnd(t, at: at, words),
                       at == 0 || !isWordByte(t[at - 1]) || !isWordByte(words[0]),
                       end == t.count || !isWordByte(t[end]) || !isWordByte(words[words.count - 1]) {
                        return true
                    }
                    from = at + 1
                }
                return false
            }
        }
    }

    /// Where `words` (no white space at either end) ends in `t` when `t` from `at` on holds it,
    /// white space runs matching white space runs; nil when it does not.
    private static func matchEnd(_ t: UnsafeBufferPointer<UInt8>, at: Int, _ words: UnsafeBufferPointer<UInt8>) -> Int? {
        let tRaw = UnsafeRawPointer(t.baseAddress.unsafelyUnwrapped), pRaw = UnsafeRawPointer(words.baseAddress.unsafelyUnwrapped)
        var i = at, j = 0
        while j < words.count {
            // Eight bytes at a time while they are the same.
            while j + 8 <= words.count, i + 8 <= t.count,
                  tRaw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == pRaw.loadUnaligned(fromByteOffset: j, as: UInt64.self) {
                i += 8
                j += 8
            }
            guard j < words.count else { break }
            guard i < t.count else { return nil }
            if t[i] == words[j] {
                i += 1
                j += 1
                continue
            }
            // Different bytes can only be different white space: one of them white space, and
            // both sides inside a run of it.
            let inRunT = t[i].isXMLSpace || (i > at && t[i - 1].isXMLSpace)
            let inRunP = words[j].isXMLSpace || (j > 0 && words[j - 1].isXMLSpace)
            guard inRunT, inRunP, t[i].isXMLSpace || words[j].isXMLSpace else { return nil }
            while i < t.count, t[i].isXMLSpace { i += 1 }
            while j < words.count, words[j].isXMLSpace { j += 1 }
        }
        return i
    }

    @inline(__always) private static func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || b.isASCIILetter || b.isASCIIDigit }
}
