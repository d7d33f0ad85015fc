/// A feed's new items, with the texts the store keeps of them copied end to end into one buffer.
///
/// The worker that analysed the items writes the buffer; the storing thread binds each text where
/// it lies in it. Binding the items' own strings, the storing thread retained and released each
/// of them (up to seven an item), made on another core (an atomic update of a cache line that core had
/// just written: about 1.5% of a night's CPU); now it borrows one buffer per feed.
public struct NewItems: Sendable {
    public private(set) var items: [NewItem] = []
    private var bytes: [UInt8] = []
    /// Per item, two per column (`Column`): where its text starts in `bytes` and its length, or -1
    /// for none.
    private var spans: [Int] = []

    /// The item columns stored as text, in the order of their spans.
    enum Column: Int, CaseIterable { case id, contentHash, guid, link, title, summary, content }

    public init() {}

    public var count: Int { items.count }
    public var isEmpty: Bool { items.isEmpty }

    public mutating func append(_ item: NewItem) {
        // Room for a few dozen items like the first at once (a feed's items are much alike).
        if bytes.capacity == 0 {
            let size = [item.id, item.contentHash, item.guid, item.link, item.title, item.summary, item.content]
                .reduce(0) { $0 + ($1?.utf8.count ?? 0) }
            bytes.reserveCapacity(max(1 << 10, 32 * size))
        }
        add(item.id)
        add(item.contentHash)
        add(item.guid)
        add(item.link)
        add(item.title)
        add(item.summary)
        add(item.content)
        items.append(item)
    }

    private mutating func add(_ text: String?) {
        guard var text else {
            spans.append(0)
            spans.append(-1)
            return
        }
        spans.append(bytes.count)
        text.withUTF8 { bytes.append(contentsOf: $0) }
        spans.append(bytes.count - spans[spans.count - 1])
    }

    /// Calls `body` with the items and a function giving an item's text of a column (nil for none),
    /// valid inside `body`.
    func withTexts<R>(_ body: (UnsafeBufferPointer<NewItem>, (Int, Column) -> UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        try items.withUnsafeBufferPointer { items in
            try bytes.withUnsafeBufferPointer { bytes in
                try spans.withUnsafeBufferPointer { spans in
                    try body(items) { item, column in
                        let k = 2 * (item * Column.allCases.count + column.rawValue)
                        guard spans[k + 1] >= 0 else { return nil }
                        return UnsafeBufferPointer(rebasing: bytes[spans[k]..<(spans[k] + spans[k + 1])])
                    }
                }
            }
        }
    }
}
