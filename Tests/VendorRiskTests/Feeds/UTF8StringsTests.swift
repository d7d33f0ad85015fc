import Testing
@testable import VendorRisk

@Suite("Strings from UTF-8")
struct UTF8StringsTests {
    /// Pieces of text: ASCII, well-formed sequences of every length, and the ways UTF-8 goes wrong
    /// (stray continuation bytes, bytes that never occur, overlong forms, surrogates, code points
    /// past U+10FFFF, cut sequences).
    private static let pieces: [[UInt8]] = [
        Array("plain words and more ".utf8), Array("x".utf8), Array("Zürich".utf8), Array("–".utf8), Array("’".utf8),
        Array("\u{FFFF}".utf8), Array("😀".utf8), Array("\u{10FFFF}".utf8), Array("\u{D7FF}".utf8), Array("\u{E000}".utf8),
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
        [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x80], [0xF0, 0x9F, 0x98],
    ]

    @Test("valid text becomes the same string as the standard library makes, invalid text is repaired the same way")
    func agreesWithStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                bytes += Self.pieces.randomElement(using: &generator)!
            }
            let expected = String(decoding: bytes, as: UTF8.self)
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let checked = bytes.withUnsafeBufferPointer { UTF8Strings.validate($0) }
            #expect((checked != nil) == valid, "\(bytes)")
            if let ascii = checked { #expect(ascii == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)") }
            let made = UTF8Strings.string(bytes)
            #expect(made == expected && Array(made.utf8) == Array(expected.utf8), "\(bytes)")
        }
    }
}
