import Foundation

/// Buffered standard output (results) and unbuffered standard error (diagnostics).
enum Terminal {
    nonisolated(unsafe) private static var buffer: [UInt8] = {
        var b: [UInt8] = []
        b.reserveCapacity(1 << 16)
        return b
    }()

    static func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func writeLine(_ text: String) {
        write(text)
        buffer.append(0x0A)
    }

    static func flush() {
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { if errno == EINTR { continue }; break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// One line on standard error, its inner line breaks folded so every error stays one line.
    static func error(_ message: String) {
        flush()
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
