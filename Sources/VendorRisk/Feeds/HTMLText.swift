/// Reduces an HTML fragment to plain text with its paragraph structure.
///
/// A lean scanner rather than libxml2's HTML parser: measured, a parser context (or a tree) per
/// field cost more than the whole XML parse, and feed fragments need only tags dropped, entities
/// decoded (names from libxml2's HTML table), `script`/`style` skipped and block elements turned
/// into breaks. Malformed markup degrades to text, never to an error.
struct HTMLText {
    let entities: EntityTable
    /// The tables below, held by the value: read per tag without a static's once-check.
    private let blockKeys = Self.blockElements
    private let skippedKeys = Self.skippedElements
    private let br = tagKey("br"), td = tagKey("td"), th = tagKey("th")

    /// Sorted, for a binary search: a `Set` hashed each tag's key (SipHash) for a handful of
    /// comparisons' worth of answer.
    private static let blockElements: [UInt64] = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "table", "tr", "thead", "tbody", "tfoot", "caption", "section",
        "article", "header", "footer", "aside", "nav", "figure", "figcaption", "hr", "form",
        "address", "main", "details", "summary", "fieldset", "center", "body", "html",
    ].map(tagKey).sorted()
    private static let skippedElements: [(key: UInt64, closing: [UInt8])] =
        ["script", "style", "template", "noscript", "title", "head"].map { (tagKey($0), Array("</\($0)".utf8)) }

    init(entities: EntityTable) {
        self.entities = entities
    }

    private func isBlock(_ name: UInt64) -> Bool {
        var low = 0, high = blockKeys.count
        while low < high {
            let mid = (low + high) / 2
            if blockKeys[mid] < name { low = mid + 1 } else { high = mid }
        }
        return low < blockKeys.count && blockKeys[low] == name
    }

    /// `</name` of an element whose content is skipped (a script, a style), nil for any other.
    private func skippedClosing(_ name: UInt64) -> [UInt8]? {
        for e in skippedKeys where e.key == name { return e.closing }
        return nil
    }

    /// A tag name packed into an integer (its first eight letters, lowercased): no allocation
    /// per tag on the hot path.
    static func tagKey(_ name: String) -> UInt64 {
        var key: UInt64 = 0
        for b in name.utf8.prefix(8) { key = key << 8 | UInt64(b) }
        return key
    }

    /// Appends the text of `html` to `text`.
    func render(_ html: UnsafeBufferPointer<UInt8>, into text: inout TextBuilder) {
        let n = html.count
        var i = 0
        var textStart = 0
        while i < n {
            guard let lt = firstIndex(of: 0x3C, in: html, i..<n) else { i = n; break }  // '<'
            i = lt
            appendText(html, textStart..<i, into: &text)
            guard i + 1 < n else { textStart = i; i = n; break }
            let next = html[i + 1]
            if next == 0x21 {  // '!'
                if matches(html, at: i, "<!--") {
                    i = find(html, "-->", from: i + 4).map { $0 + 3 } ?? n
                } else if matches(html, at: i, "<![CDATA[") {
                    let end = find(html, "]]>", from: i + 9) ?? n
                    appendText(html, (i + 9)..<end, into: &text, decode: false)
                    i = min(n, end + 3)
                } else {
                    i = (find(html, ">", from: i + 2) ?? (n - 1)) + 1
                }
            } else if next == 0x3F {  // '?'
                i = (find(html, ">", from: i + 2) ?? (n - 1)) + 1
            } else if next == 0x2F, i + 2 < n, html[i + 2].isASCIILetter {  // end tag
                let (name, after) = tagName(html, from: i + 2)
                i = (find(html, ">", from: after) ?? (n - 1)) + 1
                if name == br { text.lineBreak() } else if isBlock(name) { text.paragraphBreak() }
                else if name == td || name == th { text.append([0x20]) }
            } else if next.isASCIILetter {
                let (name, after) = tagName(html, from: i + 1)
                i = endOfTag(html, from: after)
                if let closing = skippedClosing(name) {
                    i = endOfRawText(html, closing: closing, from: i)
                } else if name == br {
                    text.lineBreak()
                } else if isBlock(name) {
                    text.paragraphBreak()
                } else if name == td || name == th {
                    text.append([0x20])
                }
            } else {
                // A '<' that starts no tag ("a < b") is text.
                textStart = i
                i += 1
                continue
            }
            textStart = i
        }
        if textStart < n { appendText(html, textStart..<n, into: &text) }
    }

    /// Plain text of an HTML fragment, or nil when it holds no visible text.
    func plainText(_ html: [UInt8], limit: Int = Int.max) -> String? {
        var text = TextBuilder(keepsSourceParagraphs: false, limit: limit)
        html.withUnsafeBufferPointer { render($0, into: &text) }
        return text.string()
    }

    private func appendText(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into text: inout TextBuilder,
                            decode: Bool = true) {
        guard !range.isEmpty else { return }
        guard decode, let amp = firstIndex(of: 0x26, in: s, range) else {
            text.append(UnsafeBufferPointer(rebasing: s[range]))
            return
        }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        out.append(contentsOf: s[range.lowerBound..<amp])
        var i = amp
        while i < range.upperBound {
            // At an '&': a reference, or an '&' kept as text; then the run up to the next '&', whole
            // (byte by byte, the rest of a description after its first "R&D" cost more than its
            // conversion).
            if let (value, next) = reference(s, at: i, end: range.upperBound) {
                CharacterReference.appendUTF8(value, to: &out)
                i = next
            } else {
                out.append(0x26)
                i += 1
            }
            let runEnd = firstIndex(of: 0x26, in: s, i..<range.upperBound) ?? range.upperBound
            out.append(contentsOf: UnsafeBufferPointer(rebasing: s[i..<runEnd]))
            i = runEnd
        }
        text.append(out)
    }

    /// Decodes the reference starting at `&`; nil leaves the `&` as text.
    private func reference(_ s: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> (UInt32, Int)? {
        var j = start + 1
        if j < end, s[j] == 0x23 {  // '#'
            j += 1
            let digitsStart = j
            while j < end, j - digitsStart < 10, s[j].isASCIILetter || s[j].isASCIIDigit { j += 1 }
            guard let value = CharacterReference.parseNumber(UnsafeBufferPointer(rebasing: s[digitsStart..<j])) else { return nil }
            if j < end, s[j] == 0x3B { j += 1 }
            return (CharacterReference.sanitized(value), j)
        }
        let nameStart = j
        while j < end, j - nameStart < 32, s[j].isASCIILetter || s[j].isASCIIDigit { j += 1 }
        guard j > nameStart, j < end, s[j] == 0x3B else { return nil }
        guard let value = entities.codePoint(named: UnsafeBufferPointer(rebasing: s[nameStart..<j])) else { return nil }
        return (value, j + 1)
    }

    private func tagName(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> (UInt64, Int) {
        var j = start
        var key: UInt64 = 0
        var length = 0
        while j < s.count, s[j].isASCIILetter || s[j].isASCIIDigit || s[j] == 0x2D || s[j] == 0x3A {
            if s[j] == 0x3A {
                // "xhtml:p" and "p" are the same element for text purposes.
                key = 0
                length = 0
            } else if length < 8 {
                key = key << 8 | UInt64(s[j].asciiLowercased)
                length += 1
            }
            j += 1
        }
        return (key, j)
    }

    /// Index after the `>` closing a start tag, honouring quoted attribute values.
    private func endOfTag(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var j = start
        var quote: UInt8 = 0
        while j < s.count {
            let c = s[j]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == 0x22 || c == 0x27 {
                quote = c
            } else if c == 0x3E {
                return j + 1
            }
            j += 1
        }
        // An unclosed quote must not swallow the rest: fall back to the first '>'.
        return (find(s, ">", from: start) ?? (s.count - 1)) + 1
    }

    /// Index after `</name>` (case-insensitive), or the end when the element is never closed.
    private func endOfRawText(_ s: UnsafeBufferPointer<UInt8>, closing needle: [UInt8], from start: Int) -> Int {
        var j = start
        while let lt = firstIndex(of: 0x3C, in: s, j..<s.count) {
            if lt + needle.count <= s.count {
                var same = true
                for k in 0..<needle.count where s[lt + k].asciiLowercased != needle[k] { same = false; break }
                if same { return (find(s, ">", from: lt + needle.count) ?? (s.count - 1)) + 1 }
            }
            j = lt + 1
        }
        return s.count
    }

    private func matches(_ s: UnsafeBufferPointer<UInt8>, at i: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= s.count else { return false }
        let p = literal.utf8Start
        for k in 0..<count where s[i + k].asciiLowercased != p[k].asciiLowercased { return false }
        return true
    }

    private func find(_ s: UnsafeBufferPointer<UInt8>, _ literal: StaticString, from start: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        let first = literal.utf8Start[0]
        var j = start
        while j + count <= s.count {
            guard let hit = firstIndex(of: first, in: s, j..<(s.count - count + 1)) else { return nil }
            if matches(s, at: hit, literal) { return hit }
            j = hit + 1
        }
        return nil
    }

    private func firstIndex(of byte: UInt8, in s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard let base = s.baseAddress else { return nil }
        return ByteScan.firstIndex(of: byte, base, range.lowerBound, range.upperBound)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
