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
    /// Section texts by number, in order; a delivered one is emptied.
    @exclusivity(unchecked) private var texts: [[UInt8]] = []
    /// The section being read, and its line feeds (counted by the sanitizer as it reads them).
    @exclusivity(unchecked) private var current: [UInt8] = []
    @exclusivity(unchecked) var lineFeeds = 0

    init() {
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        key = [0xEE, 0x80, 0x80] + Array(String(random, radix: 16).leftPadded(to: 16).utf8)
    }

    /// A section longer than this goes through libxml2 after all (`abandonSection`): held here
    /// whole until its end, a long one would cost its size in memory, where libxml2 streams it.
    static let maxSection = 256 << 10

    var currentCount: Int { current.count }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        current.append(contentsOf: bytes)
    }

    func append(_ byte: UInt8) {
        current.append(byte)
    }

    /// The section being read, as text to repair into (`XMLInputSanitizer.utf8Sequence`).
    func withCurrent<R>(_ body: (inout [UInt8]) -> R) -> R {
        body(&current)
    }

    /// Ends the section being read and writes its marker to `out`.
    func endSection(into out: inout [UInt8]) {
        let number = texts.count
        texts.append(current)
        current = []
        out.append(contentsOf: [0x3C, 0x21, 0x5B, 0x43, 0x44, 0x41, 0x54, 0x41, 0x5B])  // <![CDATA[
        out.append(contentsOf: key)
        out.append(contentsOf: String(number).utf8)
        out.append(contentsOf: repeatElement(0x0A, count: lineFeeds))
        lineFeeds = 0
        out.append(contentsOf: [0x5D, 0x5D, 0x3E])  // ]]>
    }

    /// Gives up on the section being read (the input ends inside it, or it is long): its opening
    /// and its text so far go to libxml2 as they came, and the rest follows them there.
    func abandonSection(into out: inout [UInt8]) {
        out.append(contentsOf: [0x3C, 0x21, 0x5B, 0x43, 0x44, 0x41, 0x54, 0x41, 0x5B])
        out.append(contentsOf: current)
        current = []
        lineFeeds = 0
    }

    /// The text a marker stands for (handed over once: it is emptied), or nil for a block that is
    /// not a marker of this channel.
    func text(forMarker block: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard block.count > key.count, block.starts(with: key) else { return nil }
        var number = 0
        var i = key.count
        while i < block.count, block[i] &- 0x30 < 10, number < 1 << 40 {
            number = number * 10 + Int(block[i] &- 0x30)
            i += 1
        }
        guard i > key.count, number < texts.count, block[i...].allSatisfy({ $0 == 0x0A }) else { return nil }
        let text = texts[number]
        texts[number] = []
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
