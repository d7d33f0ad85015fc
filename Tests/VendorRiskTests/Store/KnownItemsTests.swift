import Testing
@testable import VendorRisk

@Suite struct KnownItemsTests {
    @Test("holds item ids, hex or not, and tells exactly those apart from every other id")
    func containsExactlyItsIDs() {
        let hex = (0..<200).map { i in ItemIdentity.hex(Array(repeating: UInt8(i), count: 8) + [UInt8(i / 7), 1, 2, 3, 4, 5, 6, 7], digits: 32) }
        var known = KnownItems()
        for id in hex.prefix(100) { known.insert(id) }
        known.insert("guid-1")
        known.insert("ABCDEF0123456789ABCDEF0123456789")  // upper case: not the shape ids are made in
        known.insert("0123456789abcdef0123456789abcde")    // 31 digits
        #expect(known.count == 103)
        for id in hex.prefix(100) { #expect(known.contains(id)) }
        for id in hex.dropFirst(100) { #expect(!known.contains(id)) }
        #expect(known.contains("guid-1") && !known.contains("guid-2"))
        #expect(known.contains("ABCDEF0123456789ABCDEF0123456789"))
        #expect(!known.contains("abcdef0123456789abcdef0123456789"))
        #expect(known.contains("0123456789abcdef0123456789abcde") && !known.contains("0123456789abcdef0123456789abcdef"))
        #expect(!known.contains(""))
        #expect(known != ["guid-1", "ABCDEF0123456789ABCDEF0123456789", "0123456789abcdef0123456789abcde"])
    }
}
