import Foundation

/// A streaming byte pass run on UTF-8 input before libxml2 sees it.
///
/// libxml2 2.9.14 mishandles real-world input in ways a SAX reader cannot undo afterwards: in
/// recover mode every *named* reference after the first error is dropped (`&amp;` included),
/// undeclared HTML entities are dropped, a bare `&` or an `&#X41;` breaks the document, invalid
/// UTF-8 and control characters are fatal, and everything after a NUL byte is lost. This pass
/// rewrites named references to numeric ones (HTML names from libxml2's table), escapes bare
/// ampersands, repairs UTF-8 and drops control characters. Comments, CDATA sections, processing
/// instructions and the DOCTYPE pass through unchanged (beyond UTF-8 repair), and entities the
/// internal subset declares are left for libxml2, whose expansion guards then apply.
struct XMLInputSanitizer {
    /// `divertedCDATA`: inside a CDATA section whose text goes to `sideChannel`.
    private enum State { case text, comment, cdata, divertedCDATA, processingInstruction, doctype }

    private var state: State = .text
    private var carry: [UInt8] = []
    private var doctypeQuote: UInt8 = 0
    private var doctypeDepth = 0
    private var doctypeText: [UInt8] = []
    private var declaredEntities: Set<[UInt8]> = []
    private let entities: EntityTable
    private(set) var repairedBytes = 0
    /// Where CDATA sections' text goes instead of to libxml2, if anywhere (`CDATASideChannel`),
    /// and long runs of element text with them.
    var sideChannel: CDATASideChannel?
    /// Where in the output the last tag starts when only text has followed it: that text may go
    /// to the side channel when the next markup starts. Nil when there is none, or when the
    /// reader has taken the output since.
    private var lastTag: Int?
    /// Where the character references written since `lastTag` start in the output.
    private var referencesSinceTag: [Int] = []

    init(entities: EntityTable) {
        self.entities = entities
    }

    /// Appends the sanitized form of `input` to `out`; with `final`, nothing is held back.
    mutating func process(_ input: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) {
        defer {
            // A section the input ends in goes to libxml2 as it came (and is an error there).
            if final, state == .divertedCDATA {
                sideChannel?.abandonSection(into: &out)
                state = .cdata
            }
        }
        if carry.isEmpty {
            let used = run(input, final: final, into: &out)
            if used < input.count { carry = Array(input[used...]) }
        } else {
            var joined = carry
            joined.append(contentsOf: input)
            carry = []
            let used = joined.withUnsafeBufferPointer { run($0, final: final, into: &out) }
            if used < joined.count { carry = Array(joined[used...]) }
        }
    }

    /// The reader has taken what was written to `out` (and emptied it).
    mutating func outputTaken() {
        lastTag = nil
        if !referencesSinceTag.isEmpty { referencesSinceTag.removeAll(keepingCapacity: true) }
    }

    /// Processes as much as can be decided; returns how many bytes were consumed.
    private mutating func run(_ s: UnsafeBufferPointer<UInt8>, final: Bool, into out: inout [UInt8]) -> Int {
        let n = s.count
        var i = 0
        let plainInText = Self.plainInText  // hoisted: a static read in the loop costs a swift_once per byte
        while i < n {
            if state == .divertedCDATA, let channel = sideChannel {
                let (next, done) = divertedSection(s, from: i, final: final, channel: channel, into: &out)
                i = next
                if !done { return i }
                continue
            }
            // Copy the longest run of bytes that need no attention in the current state.
            let start = i
            switch state {
            case .text:
                // Eight bytes at a time between line breaks and tabs (which are plain, but stop the word test).
                // The '<' of an ordinary tag stays in the run too: `markupStart` would copy it as
                // it is, after the run was copied (a copy per tag, the most frequent stop); its
                // bookkeeping is done here, on the tag's place in the output once the run is copied.
                // A tag after text long enough to divert goes to `markupStart`.
                if let base = s.baseAddress {
                    let outStart = out.count - start
                    let diverts = sideChannel != nil
                    plainInText.withUnsafeBufferPointer { table in
                        while true {
                            i = ByteScan.xmlSpecial(base, i, n)
                            guard i < n else { break }
                            let b = base[i]
                            if table[Int(b)] { i += 1; continue }
                            guard b == 0x3C, i + 1 < n, base[i + 1] != 0x21, base[i + 1] != 0x3F else { break }
                            let at = outStart + i
                            if textToDivert(before: at) != nil { break }
                            if lastTag != nil { outputTaken() }
                            if diverts { lastTag = at }
                            i += 1
                        }
                    }
                }
            case .comment:
                while i < n, Self.isPlain(s[i]), s[i] != 0x2D { i += 1 }
            case .cdata, .divertedCDATA:  // diverted sections are read above
                if let base = s.baseAddress {
                    while true {
                        i = ByteScan.cdataSpecial(base, i, n)
                        guard i < n, Self.isPlain(base[i]), base[i] != 0x5D else { break }
                        i += 1
                    }
                }
            case .processingInstruction:
                while i < n, Self.isPlain(s[i]), s[i] != 0x3F { i += 1 }
            case .doctype:
                while i < n, Self.isPlain(s[i]), !Self.isDoctypeSpecial(s[i]) { i += 1 }
                if doctypeText.count < 1 << 20 { doctypeText.append(contentsOf: s[start..<i]) }
            }
            if i > start { out.append(contentsOf: s[start..<i]) }
            guard i < n else { break }

            let b = s[i]
            if b >= 0x80 {
                guard let next = utf8Sequence(s, at: i, final: final, into: &out) else { return i }
                if state == .doctype, doctypeText.count < 1 << 20 { doctypeText.append(contentsOf: s[i..<next]) }
                i = next
                continue
            }
            if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D {
                repairedBytes += 1  // NUL and other controls are not XML characters
                i += 1
                continue
            }
            let consumed: Int?
            switch state {
            case .text:
                consumed = b == 0x3C ? markupStart(s, at: i, final: final, into: &out)
                                     : reference(s, at: i, final: final, into: &out)
            case .comment: consumed = terminator(s, at: i, "-->", final: final, into: &out)
            case .cdata, .divertedCDATA: consumed = terminator(s, at: i, "]]>", final: final, into: &out)
            case .processingInstruction: consumed = terminator(s, at: i, "?>", final: final, into: &out)
            case .doctype: consumed = doctypeByte(b, at: i, into: &out)
            }
            guard let consumed else { return i }
            i = consumed
        }
        return n
    }

    /// Bytes that text can copy without a look: ASCII except '<', '&' and control characters.
    private static let plainInText: [Bool] = (0..<256).map { b in
        isPlain(UInt8(b)) && b != 0x3C && b != 0x26
    }

    private static func isPlain(_ b: UInt8) -> Bool {
        (b >= 0x20 && b < 0x80) || b == 0x0A || b == 0x09 || b == 0x0D
    }

    private static func isDoctypeSpecial(_ b: UInt8) -> Bool {
        b == 0x22 || b == 0x27 || b == 0x5B || b == 0x5D || b == 0x3E
    }

    // MARK: - Text state

    private mutating func markupStart(_ s: UnsafeBufferPointer<UInt8>, at i: Int, final: Bool,
                                      into out: inout [UInt8]) -> Int? {
        if let (tag, channel) = textToDivert(before: out.count) { divertText(after: tag, channel, &out) }
        if lastTag != nil { outputTaken() }
        // Most '<' start ordinary tags: decide on the next byte before looking further.
        if i + 1 < s.count, s[i + 1] != 0x21, s[i + 1] != 0x3F {
            if sideChannel != nil { lastTag = out.count }
            out.append(0x3C)
            return i + 1
        }
        if s.count - i < 9, !final { return nil }
        let (literal, next): (StaticString, State)
        if starts(s, i, "<!--") { (literal, next) = ("<!--", .comment) }
        else if starts(s, i, "<![CDATA[") {
            // With a side channel (and no declared entities), the section's text goes there and
            // its marker to libxml2 when it ends.
            if sideChannel?.isOpen == true, declaredEntities.isEmpty {
                state = .divertedCDATA
                return i + 9
            }
            (literal, next) = ("<![CDATA[", .cdata)
        }
        else if starts(s, i, "<!DOCTYPE") { (literal, next) = ("<!DOCTYPE", .doctype) }
        else if starts(s, i, "<?") { (literal, next) = ("<?", .processingInstruction) }
        else { out.append(0x3C); return i + 1 }
        let count = literal.utf8CodeUnitCount
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: count))
        state = next
        return i + count
    }

    /// The last tag and the side channel, when the element text from that tag to `position` of
    /// the output is long enough to go to the channel (whether it goes is `divertText`'s test).
    @inline(__always)
    private func textToDivert(before position: Int) -> (tag: Int, channel: CDATASideChannel)? {
        guard let tag = lastTag, let channel = sideChannel, position - tag > CDATASideChannel.minSection else { return nil }
        return (tag, channel)
    }

    /// Element text between the tag at `out[tag]` and the end of `out` goes to the side channel
    /// when it is long enough to be worth a marker and the tag is a well-formed start, end or
    /// empty tag (then the text is content: nothing before the root element follows such a tag,
    /// and after it text that is not white space is an error either way). White space before the
    /// text stays, and so does everything when the DTD declares entities.
    @inline(never)
    private func divertText(after tag: Int, _ channel: CDATASideChannel, _ out: inout [UInt8]) {
        guard declaredEntities.isEmpty else { return }
        // From the first byte that is not white space: white space stays with libxml2, which
        // skips it after the root element before it reports what follows (and its line).
        let start: Int? = out.withUnsafeBufferPointer { p in
            guard let end = Self.tagEnd(p, from: tag), let first = p[end...].firstIndex(where: { !$0.isXMLSpace }),
                  p.count - first >= CDATASideChannel.minSection else { return nil }
            return first
        }
        if let start { _ = channel.divertText(&out, from: start, references: referencesSinceTag) }
    }

    /// The index after the ">" of the well-formed start, end or empty tag that starts at `p[tag]`
    /// ("<"), if it is one.
    private static func tagEnd(_ p: UnsafeBufferPointer<UInt8>, from tag: Int) -> Int? {
        let n = p.count
        var j = tag + 1
        let endTag = j < n && p[j] == 0x2F
        if endTag { j += 1 }
        guard j < n, p[j].isNameStart || p[j] >= 0x80 else { return nil }
        j += 1
        while j < n, p[j].isNameChar || p[j] >= 0x80 { j += 1 }
        while true {
            let spaceStart = j
            while j < n, p[j].isXMLSpace { j += 1 }
            guard j < n else { return nil }
            if p[j] == 0x3E { return j + 1 }
            if p[j] == 0x2F, !endTag { return j + 1 < n && p[j + 1] == 0x3E ? j + 2 : nil }
            // An attribute: white space, name, "=", quoted value without "<".
            guard !endTag, j > spaceStart, p[j].isNameStart || p[j] >= 0x80 else { return nil }
            j += 1
            while j < n, p[j].isNameChar || p[j] >= 0x80 { j += 1 }
            while j < n, p[j].isXMLSpace { j += 1 }
            guard j < n, p[j] == 0x3D else { return nil }
            j += 1
            while j < n, p[j].isXMLSpace { j += 1 }
            guard j < n, p[j] == 0x22 || p[j] == 0x27 else { return nil }
            let quote = p[j]
            j += 1
            guard let base = p.baseAddress, let valueEnd = ByteScan.firstIndex(of: quote, base, j, n),
                  ByteScan.firstIndex(of: 0x3C, base, j, valueEnd) == nil else { return nil }
            j = valueEnd + 1
        }
    }

    private func starts(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= s.count else { return false }
        let p = literal.utf8Start
        for k in 0..<count where s[i + k] != p[k] { return false }
        return true
    }

    private mutating func reference(_ s: UnsafeBufferPointer<UInt8>, at i: Int, final: Bool,
                                    into out: inout [UInt8]) -> Int? {
        let n = s.count
        var j = i + 1
        if j < n, s[j] == 0x23 {  // numeric
            j += 1
            let digits = j
            while j < n, j - digits < 12, s[j].isASCIILetter || s[j].isASCIIDigit { j += 1 }
            if j == n, !final { return nil }
            if j < n, s[j] == 0x3B,
               let value = CharacterReference.parseNumber(UnsafeBufferPointer(rebasing: s[digits..<j])) {
                appendNumeric(CharacterReference.sanitized(value), into: &out)
                return j + 1
            }
            appendNumeric(0x26, into: &out)
            return i + 1
        }
        let nameStart = j
        while j < n, j - nameStart < 64, s[j].isNameChar { j += 1 }
        if j == n, !final { return nil }
        guard j > nameStart, j < n, s[j] == 0x3B, s[nameStart].isNameStart else {
            appendNumeric(0x26, into: &out)  // a bare '&' ("?a=1&b=2", "AT&T")
            return i + 1
        }
        let name = UnsafeBufferPointer(rebasing: s[nameStart..<j])
        if !declaredEntities.isEmpty, declaredEntities.contains(Array(name)) {
            out.append(contentsOf: s[i...j])
        } else if let value = entities.codePoint(named: name) {
            appendNumeric(value, into: &out)
        } else {
            appendNumeric(0x26, into: &out)  // unknown entity: keep it as the text it is
            return i + 1
        }
        return j + 1
    }

    /// `&#N;` written straight into `out` (no temporary array: this runs once per reference).
    private mutating func appendNumeric(_ value: UInt32, into out: inout [UInt8]) {
        if lastTag != nil { referencesSinceTag.append(out.count) }
        out.append(0x26)
        out.append(0x23)
        var divisor: UInt32 = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(rest / divisor) + 0x30)
            rest %= divisor
            divisor /= 10
        }
        out.append(0x3B)
    }

    // MARK: - Pass-through states

    private mutating func terminator(_ s: UnsafeBufferPointer<UInt8>, at i: Int, _ literal: StaticString,
                                     final: Bool, into out: inout [UInt8]) -> Int? {
        let count = literal.utf8CodeUnitCount
        if s.count - i < count {
            if !final { return nil }
            out.append(s[i])
            return i + 1
        }
        let p = literal.utf8Start
        for k in 0..<count where s[i + k] != p[k] {
            out.append(s[i])
            return i + 1
        }
        out.append(contentsOf: s[i..<(i + count)])
        state = .text
        return i + count
    }

    private mutating func doctypeByte(_ b: UInt8, at i: Int, into out: inout [UInt8]) -> Int {
        out.append(b)
        if doctypeText.count < 1 << 20 { doctypeText.append(b) }
        if doctypeQuote != 0 {
            if b == doctypeQuote { doctypeQuote = 0 }
        } else if b == 0x22 || b == 0x27 {
            doctypeQuote = b
        } else if b == 0x5B {
            doctypeDepth += 1
        } else if b == 0x5D {
            doctypeDepth = max(0, doctypeDepth - 1)
        } else if b == 0x3E, doctypeDepth == 0 {
            state = .text
            recordDeclaredEntities()
        }
        return i + 1
    }

    /// Notes the general entities the internal subset declares, so their references reach libxml2.
    private mutating func recordDeclaredEntities() {
        let t = doctypeText
        let key = Array("<!ENTITY".utf8)
        var i = 0
        while i + key.count < t.count {
            var hit = true
            for k in 0..<key.count where t[i + k] != key[k] { hit = false; break }
            guard hit else { i += 1; continue }
            var j = i + key.count
            while j < t.count, t[j].isXMLSpace { j += 1 }
            if j < t.count, t[j] == 0x25 { i = j; continue }  // a parameter entity
            let start = j
            while j < t.count, t[j].isNameChar || t[j] >= 0x80 { j += 1 }
            if j > start { declaredEntities.insert(Array(t[start..<j])) }
            i = j
        }
        doctypeText = []
    }

    // MARK: - CDATA through the side channel

    /// Reads a diverted section's text from `i` into `channel` up to its "]]>" (then writes the
    /// marker and returns done) or the end of `s` (returns where to go on from: a "]" that may
    /// start the terminator waits for more input unless `final`).
    private mutating func divertedSection(_ s: UnsafeBufferPointer<UInt8>, from start: Int, final: Bool,
                                          channel: CDATASideChannel, into out: inout [UInt8]) -> (Int, done: Bool) {
        let n = s.count
        var i = start
        while i < n {
            let run = i
            if let base = s.baseAddress {
                while true {
                    i = ByteScan.cdataSpecial(base, i, n)
                    guard i < n, Self.isPlain(base[i]), base[i] != 0x5D else { break }
                    // The scan stops at each line feed (a control byte): counted for the marker.
                    if base[i] == 0x0A { channel.noteLineFeed() }
                    i += 1
                }
            }
            if i > run { channel.append(UnsafeBufferPointer(rebasing: s[run..<i])) }
            if channel.currentCount > CDATASideChannel.maxSection {
                // Long: the rest of the section goes through libxml2, which streams it.
                channel.abandonSection(into: &out)
                state = .cdata
                return (i, true)
            }
            guard i < n else { break }
            let b = s[i]
            if b >= 0x80 {
                let next = channel.withCurrent { utf8Sequence(s, at: i, final: final, into: &$0) }
                guard let next else { return (i, false) }
                i = next
                continue
            }
            if b != 0x5D {
                repairedBytes += 1  // a control character: not an XML character
                i += 1
                continue
            }
            if n - i < 3, !final { return (i, false) }
            if n - i >= 3, s[i + 1] == 0x5D, s[i + 2] == 0x3E {
                channel.endSection(into: &out)
                state = .text
                return (i + 3, true)
            }
            channel.append(b)
            i += 1
        }
        return (i, false)
    }

    // MARK: - UTF-8 repair

    /// Copies one valid UTF-8 sequence, or U+FFFD for an invalid byte; nil when the sequence
    /// continues past the end of a non-final buffer.
    private mutating func utf8Sequence(_ s: UnsafeBufferPointer<UInt8>, at i: Int, final: Bool,
                                       into out: inout [UInt8]) -> Int? {
        let b = s[i]
        guard let (length, low, high) = UTF8Strings.sequence(lead: b) else { return replacement(at: i, into: &out) }
        for k in 1..<length {
            guard i + k < s.count else { return final ? replacement(at: i, into: &out) : nil }
            let c = s[i + k]
            let lo = k == 1 ? low : 0x80, hi = k == 1 ? high : 0xBF
            guard c >= lo, c <= hi else { return replacement(at: i, into: &out) }
        }
        // U+FFFE and U+FFFF are not XML characters.
        if length == 3, b == 0xEF, s[i + 1] == 0xBF, s[i + 2] >= 0xBE {
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            return i + 3
        }
        out.append(contentsOf: s[i..<(i + length)])
        return i + length
    }

    private mutating func replacement(at i: Int, into out: inout [UInt8]) -> Int {
        repairedBytes += 1
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        return i + 1
    }
}
