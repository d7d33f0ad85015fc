import Testing
@testable import VendorRisk

/// The storing thread binds an item's texts from the feed's buffer: they must be the item's own.
@Suite struct NewItemsTests {
    static func item(_ n: Int) -> NewItem {
        NewItem(id: "id-\(n)", contentHash: n % 2 == 0 ? "" : "hash-\(n)", guid: n % 3 == 0 ? nil : "guid \(n)",
                link: "https://example.com/\(n)", title: n % 4 == 0 ? "" : "Zürich – “\(n)” 東京",
                published: nil, summary: n % 5 == 0 ? nil : String(repeating: "summary \(n) ", count: n),
                content: n % 2 == 0 ? nil : String(repeating: "é", count: 3 * n), mentions: [], signals: [])
    }

    @Test func textsAreTheItemsOwnNilAndEmptyKeptApart() {
        var new = NewItems()
        for n in 0..<40 { new.append(Self.item(n)) }
        #expect(new.count == 40)
        new.withTexts { items, text in
            for i in items.indices {
                let item = Self.item(i)
                let expected: [(NewItems.Column, String?)] = [(.id, item.id), (.contentHash, item.contentHash), (.guid, item.guid),
                                                              (.link, item.link), (.title, item.title), (.summary, item.summary),
                                                              (.content, item.content)]
                for (column, value) in expected {
                    let got = text(i, column).map { Array($0) }
                    #expect(got == value.map { Array($0.utf8) }, "item \(i) \(column)")
                }
                #expect(items[i].id == item.id)
            }
        }
    }
}
