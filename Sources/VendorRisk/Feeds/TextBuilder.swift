/// Accumulates UTF-8 text while folding white space, keeping paragraph and line breaks.
///
/// Runs of white space become one space; an explicit break (from a block element, or from
/// blank lines in plain text) becomes `"\n\n"` or `"\n"`. Nothing is emitted before the first
/// visible character or after the last, so the result is already trimmed.
struct TextBuilder {
    private enum Pending: Int { case none, space, line, paragraph }

    private(set) var bytes: [UInt8] = []
    private var pending: Pending = .none
    /// Newlines seen in the current white-space run of plain text.
    private var newlinesInRun = 0
    /// Plain text keeps blank-line paragraphs; HTML source white space is only a space.
    var keepsSourceParagraphs: Bool
    let limit: Int
    private(set) var truncated = false

    init(keepsSourceParagraphs: Bool, limit: Int = Int.max) {
        self.keepsSourceParagraphs = keepsSourceParagraphs
        self.limit = limit
    }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func paragraphBreak() { raise(.paragraph) }
    mutating func lineBreak() { raise(.line) }

    private mutating func raise(_ p: Pending) {
        if p.rawValue > pending.rawValue { pending = p }
    }

    mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress else { return }
        let n = buffer.count
        var i = 0
        while i < n {
            let b = base[i]
            switch b {
            case 0x20, 0x09, 0x0D:
                raise(.space)
                i += 1
                continue
            case 0x0A:
                raise(.space)
                if keepsSourceParagraphs {
                    newlinesInRun += 1
                    if newlinesInRun >= 2 { raise(.paragraph) }
                }
                i += 1
                continue
            case 0xC2 where i + 1 < n && base[i + 1] == 0xA0:
                // NBSP folds like a space: names and sentences must not hide behind it.
                raise(.space)
                i += 2
                continue
            default:
                break
            }
            // Copy the whole run up to the next white space that needs folding at once: a single
            // space between words is already folded.
            var j = i + 1
            while j < n {
                j = ByteScan.foldCandidate(base, j, n)
                guard j < n else { break }
                let c = base[j]
                if c > 0x20 && c != 0xC2 { j += 1; continue }
                if c == 0x20, j + 1 < n {
                    let d = base[j + 1]
                    if d > 0x20 && d != 0xC2 { j += 2; continue }
                }
                break
            }
            emitPending()
            let room = limit - bytes.count
            if room <= 0 { truncated = true; return }
            bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: min(j - i, room)))
            if j - i > room { truncated = true; return }
            i = j
        }
    }

    /// Empties the builder for reuse, keeping its storage.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        pending = .none
        newlinesInRun = 0
        truncated = false
    }

    mutating func append(_ array: [UInt8]) {
        array.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(scalar: Unicode.Scalar) {
        var buf: [UInt8] = []
        UTF8.encode(scalar) { buf.append($0) }
        append(buf)
    }

    private mutating func emitPending() {
        newlinesInRun = 0
        if !bytes.isEmpty {
            switch pending {
            case .none: break
            case .space: bytes.append(0x20)
            case .line: bytes.append(0x0A)
            case .paragraph: bytes.append(0x0A); bytes.append(0x0A)
            }
        }
        pending = .none
    }

    /// The text, or nil when nothing visible was appended.
    func string() -> String? {
        bytes.isEmpty ? nil : UTF8Strings.string(bytes)
    }
}

/// Flattens the paragraph structure of library text for outputs that want one line.
public enum TextFolding {
    public static func folded(_ text: String?) -> String? {
        guard let text else { return nil }
        if !text.utf8.contains(0x0A) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var lastWasSpace = false
        for b in text.utf8 {
            if b == 0x0A || b == 0x20 {
                if !lastWasSpace { out.append(0x20) }
                lastWasSpace = true
            } else {
                out.append(b)
                lastWasSpace = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
