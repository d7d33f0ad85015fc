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
    let keepsSourceParagraphs: Bool
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
        var i = 0
        let n = buffer.count
        while i < n {
            let b = buffer[i]
            switch b {
            case 0x20, 0x09, 0x0D:
                raise(.space)
                i += 1
            case 0x0A:
                raise(.space)
                if keepsSourceParagraphs {
                    newlinesInRun += 1
                    if newlinesInRun >= 2 { raise(.paragraph) }
                }
                i += 1
            case 0xC2 where i + 1 < n && buffer[i + 1] == 0xA0:
                // NBSP folds like a space: names and sentences must not hide behind it.
                raise(.space)
                i += 2
            default:
                emitPending()
                if bytes.count >= limit { truncated = true; return }
                bytes.append(b)
                i += 1
            }
        }
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
        bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
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
