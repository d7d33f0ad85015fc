import Testing
@testable import VendorRisk

/// A run stores an item's texts to analyse them again when the rules or the catalogue change; a
/// summary the content repeats is left out, and must not change what the item is found to say.
@Suite struct StoredSummaryTests {
    static let analyzer = RuleExampleRunner(rules: .builtIn).analyzer
    static let ingest = FeedIngest(reader: FeedReader(), analyzer: BuiltOnce { analyzer })

    /// What analysing the stored texts again finds: (vendor, alias, count) and (vendor, category).
    static func found(_ item: NewItem) -> [String] {
        item.mentions.map { "\($0.vendor) \($0.alias) \($0.count)" } + item.signals.map { "\($0.vendor) \($0.category) \($0.evidence)" }
    }

    static func again(_ stored: NewItem) -> NewItem {
        let item = StoredItem(key: 1, id: stored.id, title: stored.title, summary: stored.summary, content: stored.content)
        return ingest.analyse(item.feedItem, id: stored.id, with: analyzer)
    }

    @Test("a summary the content repeats is not stored, and the stored texts say the same")
    func repeatedSummary() {
        let content = "Regulators said Acme's routers failed a network security review.\n\nGlobex declined to comment."
        for summary in ["Regulators said Acme's routers failed a network security review.",
                        "Regulators said Acme's routers failed a network  security\nreview. Globex declined"] {
            let item = FeedItem(id: "g", title: "Acme routers fail review", summary: summary, content: content)
            let stored = Self.ingest.analyse(item, id: "a", with: Self.analyzer)
            #expect(stored.summary == nil, "\(summary)")
            #expect(stored.content == content)
            #expect(!stored.signals.isEmpty)
            #expect(Self.found(Self.again(stored)) == Self.found(stored))
        }
    }

    @Test("a summary that says more than the content is stored, and so are summaries without content")
    func summaryKept() {
        // The teaser names Initech, which the content leaves out: its mention comes from the summary.
        let teaser = FeedItem(id: "g", title: "Routers", summary: "Initech and Acme routers reviewed.",
                              content: "Acme's routers failed a network security review.")
        let stored = Self.ingest.analyse(teaser, id: "a", with: Self.analyzer)
        #expect(stored.summary == teaser.summary)
        #expect(stored.mentions.contains { $0.alias == "Initech" })
        #expect(Self.found(Self.again(stored)) == Self.found(stored))
        for summary in ["Acme's routers failed a network security review.", ""] {
            let summaryOnly = FeedItem(id: "g", title: "Routers", summary: summary)
            #expect(Self.ingest.analyse(summaryOnly, id: "a", with: Self.analyzer).summary == summary)
        }
    }
}
