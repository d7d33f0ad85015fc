import Testing
@testable import VendorRisk

@Suite("A text holding another's words")
struct WordRunTests {
    @Test("the words in order, white space of any kind and length matching, whole words only", arguments: [
        ("Prices fell. Shares rose in Seoul.", "Shares rose", true),
        ("Prices fell.\n\nShares rose.", "fell. Shares rose.", true),
        ("Prices fell. Shares  rose.", "fell.\n\nShares\trose.", true),
        ("File photo. Unions at the site struck.", "Unions at the site struck.", true),
        ("Prices fell. Shares rose.", "Prices fell. Shares rose.", true),
        ("Intel chips", "tel chips", false),        // starts inside a word
        ("Intel chipsets", "Intel chips", false),    // ends inside a word
        ("a b", "a c", false),
        ("a  b", "a b c", false),
        ("ab", "a b", false),                          // white space the text does not have
        ("a b", "ab", false),
        ("Zürich AG", "rich AG", false),              // a non-ASCII byte is a word byte
        ("(Micron) said", "Micron", true),
        ("short", "a longer part", false),
        ("text", "", false),
        ("text", " \n ", false),
    ])
    func cases(text: String, part: String, holds: Bool) {
        #expect(WordRun.holds(text, part) == holds)
    }

    /// The plain definition: both texts as words joined by single spaces; the part's is a piece
    /// of the text's that starts and ends at word boundaries.
    private func reference(_ text: String, _ part: String) -> Bool {
        func folded(_ s: String) -> [UInt8] { Array(s.split(whereSeparator: { " \n\t\r".contains($0) }).joined(separator: " ").utf8) }
        func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || b.isASCIILetter || b.isASCIIDigit }
        let t = folded(text), p = folded(part)
        guard !p.isEmpty, p.count <= t.count else { return false }
        for at in 0...(t.count - p.count) where Array(t[at..<(at + p.count)]) == p {
            let end = at + p.count
            if (at == 0 || !isWordByte(t[at - 1]) || !isWordByte(p[0]))
                && (end == t.count || !isWordByte(t[end]) || !isWordByte(p[p.count - 1])) { return true }
        }
        return false
    }

    @Test("never says a text holds words it does not; finds them wherever the part's first byte occurs less than 16 times")
    func agreesWithDefinition() {
        var generator = SystemRandomNumberGenerator()
        let words = ["a", "ab", "b", "Intel", "tel", "chips", "Zürich", "rich", "AG", ".", ",", "x1", "1"]
        let spaces = [" ", "  ", "\n", "\n\n", "\t", " \n "]
        func text(_ n: Int) -> String {
            (0..<n).map { _ in words.randomElement(using: &generator)! + spaces.randomElement(using: &generator)! }.joined()
        }
        var found = 0
        for _ in 0..<20_000 {
            let t = text(Int.random(in: 0...14, using: &generator))
            // Half the parts are cut from the text, the others made up.
            var p: String
            if Bool.random(using: &generator), !t.isEmpty {
                let bytes = Array(t.utf8)
                let a = Int.random(in: 0..<bytes.count, using: &generator), b = Int.random(in: a...bytes.count, using: &generator)
                p = String(decoding: bytes[a..<b], as: UTF8.self)
                p = p.split(separator: " ").joined(separator: Bool.random(using: &generator) ? "\n" : " ")
            } else {
                p = text(Int.random(in: 1...3, using: &generator))
            }
            let expected = reference(t, p), got = WordRun.holds(t, p)
            if got { #expect(expected, "\(t.debugDescription) holds \(p.debugDescription)?") }
            let first = p.utf8.first(where: { !" \n\t\r".utf8.contains($0) })
            if expected, let first, t.utf8.filter({ $0 == first }).count < 16 {
                #expect(got, "\(t.debugDescription) holds \(p.debugDescription)")
                found += 1
            }
        }
        #expect(found > 1_000)
    }
}
