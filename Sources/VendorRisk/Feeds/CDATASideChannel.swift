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
    /// Section texts not yet delivered, by number; a delivered one is dropped.
    @exclusivity(unchecked) private var texts: [Int: [UInt8]] = [:]
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
    /// A shorter one goes through libxml2 as it is: its marker would be about as long.
    static let minSection = 128

    init() {
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        key = [0xEE, 0x80, 0x80] + Array(String(random, radix: 16).leftPadded(to: 16).utf8)
    }

    var currentCount: Int { current.count }

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
            texts[nextNumber] = current
            out.append(contentsOf: key)
            out.append(contentsOf: String(nextNumber).utf8)
            out.append(contentsOf: repeatElement(0x0A, count: lineFeeds))
            nextNumber += 1
        }
        out.append(contentsOf: [0x5D, 0x5D, 0x3E])  // ]]>
        if current.count < Self.minSection { pendingBytes -= current.count }
        current = []
        lineFeeds = 0
    }

    /// Gives up on the section being read (the input ends inside it, or it is long): its opening
    /// and its text so far go to libxml2 as they came, and the rest follows them there.
    func abandonSection(into out: inout [UInt8]) {
        out.append(contentsOf: Self.opening)
        out.append(contentsOf: current)
        pendingBytes -= current.count
        current = []
        lineFeeds = 0
    }

    private static let opening: [UInt8] = Array("<![CDATA[".utf8)

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
        guard i > key.count, block[i...].allSatisfy({ $0 == 0x0A }), let text = texts.removeValue(forKey: number) else {
            return nil
        }
        pendingBytes -= text.count
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
