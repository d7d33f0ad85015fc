import Foundation

/// The text of a document's CDATA sections, carried from `XMLInputSanitizer` to the SAX handler
/// beside libxml2 rather than through it.
///
/// libxml2 2.9's push parser looks for a section's "]]>" a byte at a time, checks its UTF-8 a
/// character at a time (the sanitizer has already repaired it) and hands it over in pieces of 300
/// bytes: for feeds that put their HTML in CDATA, a few percent of a run. The sanitizer keeps each
/// section's text here and gives libxml2 a section of its own in its place, `<![CDATA[` marker
/// `]]>`, which libxml2 takes where it would have taken the section (errors included: the marker
/// is a CDATA section too) and which the handler swaps back for the text. The marker holds a random
/// key, the section's number and as many line feeds as the text (libxml2's line numbers stay
/// those of the input), so no text of a document can pass for one.
///
/// Used only where the sanitizer and libxml2 run in turn on one thread (`FeedStreamParser`), and
/// not for a document whose DTD declares entities (their text, CDATA included, reaches the
/// handler from libxml2 alone).
final class CDATASideChannel {
    /// U+E000 (a private-use character) and sixteen random hex digits.
    private let key: [UInt8]
    // Touched per section and per run of text, always on one thread (the sanitizer's and the
    // SAX handler's, which take turns): no dynamic exclusivity checks.
    /// Texts not yet delivered from `first` on, in the order of their numbers: libxml2 hands
    /// markers over in document order (one it never hands over is dropped when a later one is).
    @exclusivity(unchecked) private var texts: [(number: Int, text: [UInt8])] = []
    @exclusivity(unchecked) private var first = 0
    @exclusivity(unchecked) private var nextNumber = 0
    /// The section being read, and its line feeds (counted by the sanitizer as it reads them:
    /// counting them again at the end cost as much as the rest of the channel).
    @exclusivity(unchecked) private var current: [UInt8] = []
    @exclusivity(unchecked) private(set) var lineFeeds = 0
    /// Bytes of text held and not yet delivered: the reader hands input to libxml2 by what it
    /// holds, markers and held text together, so what waits stays about a chunk.
    @exclusivity(unchecked) private(set) var pendingBytes = 0

    /// A section longer than this goes through libxml2 after all (`abandonSection`): held here
    /// whole until its end, a long one would cost its size in memory, where libxml2 streams it.
    static let maxSection = 256 << 10
    /// A shorter one (or run of element text) goes through libxml2 as it is: its marker would be
    /// about as long.
    static let minSection = 128

    init() {
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        key = [0xEE, 0x80, 0x80] + Array(String(random, radix: 16).leftPadded(to: 16).utf8)
    }

    var currentCount: Int { current.count }

    /// False once `close` was called: no section or text is taken any more.
    private(set) var isOpen = true

    /// The parser takes no more input (a fatal error, the reader's budget): what is held would
    /// never be asked for, and what follows is not taken either, so memory stays bounded however
    /// much of the file is left.
    func close() {
        isOpen = false
        texts.removeAll()
        first = 0
        pendingBytes = current.count
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        current.append(contentsOf: bytes)
        pendingBytes += bytes.count
    }

    func append(_ byte: UInt8) {
        current.append(byte)
        pendingBytes += 1
    }

    func noteLineFeed() { lineFeeds += 1 }

    /// The section being read, as text to repair into (`XMLInputSanitizer.utf8Sequence`).
    func withCurrent<R>(_ body: (inout [UInt8]) -> R) -> R {
        let before = current.count
        defer { pendingBytes += current.count - before }
        return body(&current)
    }

    /// Ends the section being read and writes its marker to `out`; a short section is written
    /// as itself (its text is repaired already and holds no "]]>").
    func endSection(into out: inout [UInt8]) {
        out.append(contentsOf: Self.opening)
        if current.count < Self.minSection {
            out.append(contentsOf: current)
        } else {
            // A copy of its own size: `current` keeps its storage for the next section (grown from
            // empty for each, it was reallocated half a dozen times a section).
            texts.append((nextNumber, Array(current)))
            out.append(contentsOf: key)
            out.append(contentsOf: String(nextNumber).utf8)
            out.append(contentsOf: repeatElement(0x0A, count: lineFeeds))
            nextNumber += 1
        }
        out.append(contentsOf: [0x5D, 0x5D, 0x3E])  // ]]>
        if current.count < Self.minSection { pendingBytes -= current.count }
        current.removeAll(keepingCapacity: true)
        lineFeeds = 0
    }

    /// Gives up on the section being read (the input ends inside it, or it is long): its opening
    /// and its text so far go to libxml2 as they came, and the rest follows them there.
    func abandonSection(into out: inout [UInt8]) {
        out.append(contentsOf: Self.opening)
        out.append(contentsOf: current)
        pendingBytes -= current.count
        current.removeAll(keepingCapacity: true)
        lineFeeds = 0
    }

    private static let opening: [UInt8] = Array("<![CDATA[".utf8)

    /// Moves the element text `out[start...]`, as the sanitizer wrote it (UTF-8 repaired, every
    /// reference a decimal character reference, at `references`), into the channel as libxml2
    /// would have delivered it (references replaced, CR LF and a lone CR read as LF) and writes a
    /// marker in its place. Returns false, changing nothing, for text with a "]]>" (an error
    /// libxml2 must report).
    ///
    /// libxml2 2.9 hands text over in pieces between references, a callback each, and checks
    /// any text with a non-ASCII byte a character at a time: for feeds whose HTML is escaped
    /// rather than in CDATA, this costs a fraction of that.
    func divertText(_ out: inout [UInt8], from start: Int, references: [Int]) -> Bool {
        guard isOpen else { return false }
        guard let (text, lines) = out.withUnsafeBufferPointer({ Self.decode($0, from: start, references: references) }) else {
            return false
        }
        out.removeSubrange(start...)
        pendingBytes += text.count
        texts.append((nextNumber, text))
        out.append(contentsOf: Self.opening)
        out.append(contentsOf: key)
        out.append(contentsOf: String(nextNumber).utf8)
        out.append(contentsOf: repeatElement(0x0A, count: lines))
        out.append(contentsOf: [0x5D, 0x5D, 0x3E])  // ]]>
        nextNumber += 1
        return true
    }

    /// The text `p[start...]` stands for and the lines libxml2 counts in it (one per LF: a CR LF
    /// counts at its LF, a lone CR not at all); nil when it holds a "]]>" or a reference that is not
    /// the sanitizer's.
    private static func decode(_ p: UnsafeBufferPointer<UInt8>, from start: Int, references: [Int]) -> ([UInt8], Int)? {
        guard let base = p.baseAddress else { return nil }
        let end = p.count
        func find(_ byte: UInt8, from i: Int) -> Int? { ByteScan.firstIndex(of: byte, base, i, end) }
        var k = start
        while let bracket = find(0x5D, from: k) {
            if bracket + 2 < end, base[bracket + 1] == 0x5D, base[bracket + 2] == 0x3E { return nil }
            k = bracket + 1
        }
        var lines = 0
        k = start
        while let lineFeed = find(0x0A, from: k) {
            lines += 1
            k = lineFeed + 1
        }
        let hasCR = find(0x0D, from: start) != nil
        var valid = true
        let text = [UInt8](unsafeUninitializedCapacity: end - start) { out, written in
            let o = out.baseAddress.unsafelyUnwrapped
            var w = 0
            var from = start
            for r in references where r >= start {
                w = copy(base, from, r, to: o, at: w, foldingCR: hasCR)
                // "&#" decimal digits ";"
                var j = r + 2
                var value: UInt32 = 0
                while j < end, base[j] &- 0x30 < 10, value < 0x11_0000 {
                    value = value &* 10 &+ UInt32(base[j] &- 0x30)
                    j += 1
                }
                guard r + 1 < end, base[r + 1] == 0x23, j > r + 2, j < end, base[j] == 0x3B,
                      let scalar = Unicode.Scalar(value) else { valid = false; break }
                for byte in UTF8.encode(scalar).unsafelyUnwrapped {
                    o[w] = byte
                    w += 1
                }
                from = j + 1
            }
            if valid { w = copy(base, from, end, to: o, at: w, foldingCR: hasCR) }
            written = valid ? w : 0
        }
        return valid ? (text, lines) : nil
    }

    /// Copies `base[from..<to]` to `o + at`, a CR LF or lone CR as LF when `foldingCR`; returns the new end.
    private static func copy(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int, to o: UnsafeMutablePointer<UInt8>,
                             at w: Int, foldingCR: Bool) -> Int {
        guard to > from else { return w }
        guard foldingCR else {
            (o + w).initialize(from: base + from, count: to - from)
            return w + to - from
        }
        var w = w
        var i = from
        while i < to {
            let b = base[i]
            if b == 0x0D {
                o[w] = 0x0A
                if i + 1 < to, base[i + 1] == 0x0A { i += 1 }
            } else {
                o[w] = b
            }
            w += 1
            i += 1
        }
        return w
    }

    /// The text a marker stands for (handed over once, then dropped), or nil for a block that is
    /// not a marker of this channel.
    func text(forMarker block: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard block.count > key.count, block.starts(with: key) else { return nil }
        var number = 0
        var i = key.count
        while i < block.count, block[i] &- 0x30 < 10, number < 1 << 40 {
            number = number * 10 + Int(block[i] &- 0x30)
            i += 1
        }
        guard i > key.count, block[i...].allSatisfy({ $0 == 0x0A }) else { return nil }
        while first < texts.count, texts[first].number < number { _ = take(first) }
        guard first < texts.count, texts[first].number == number else { return nil }
        return take(first)
    }

    private func take(_ index: Int) -> [UInt8] {
        let text = texts[index].text
        texts[index].text = []
        pendingBytes -= text.count
        first += 1
        if first == texts.count {
            texts.removeAll(keepingCapacity: true)
            first = 0
        }
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
