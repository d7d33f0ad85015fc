import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns captured field text into plain text: the HTML, entity and white-space work of the
/// reader. One per thread (it keeps a scratch buffer and an entity memo).
final class FieldConverter {
    private let html: HTMLText
    /// Used by one thread only: no run-time exclusivity check per access (as in `FeedBuilder`).
    @exclusivity(unchecked) private var scratch = TextBuilder(keepsSourceParagraphs: false)

    init(entities: EntityTable) {
        html = HTMLText(entities: entities)
    }

    func text(of c: FieldCapture) -> String? {
        if c.base64 {
            let encoded = String(decoding: c.bytes, as: UTF8.self)
            guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else { return nil }
            return text([UInt8](data), mode: c.mode)
        }
        return text(c.bytes, mode: c.mode)
    }

    private func text(_ bytes: [UInt8], mode: TextMode) -> String? {
        switch mode {
        case .raw: return plain(bytes, keepsSourceParagraphs: false)
        case .text: return plain(bytes, keepsSourceParagraphs: true)
        case .html, .xhtml: return htmlText(bytes, mode: mode)
        }
    }

    private func plain(_ bytes: [UInt8], keepsSourceParagraphs: Bool) -> String? {
        scratch.reset()
        scratch.keepsSourceParagraphs = keepsSourceParagraphs
        scratch.append(bytes)
        return scratch.string()
    }

    private func htmlText(_ bytes: [UInt8], mode: TextMode) -> String? {
        let hasMarkup = bytes.withUnsafeBufferPointer { b in
            b.baseAddress.map { memchr($0, 0x3C, b.count) != nil || memchr($0, 0x26, b.count) != nil } ?? false
        }
        guard hasMarkup else { return plain(bytes, keepsSourceParagraphs: true) }
        scratch.reset()
        scratch.keepsSourceParagraphs = false
        bytes.withUnsafeBufferPointer { html.render($0, into: &scratch) }
        guard let first = scratch.string() else { return nil }
        // Double-escaped HTML ("&amp;lt;p&amp;gt;") still reads as markup after one pass.
        // Only when the source had no real tags: "<code>&lt;br /></code>" shows a tag on purpose.
        if mode == .html, !bytes.contains(0x3C), DoubleEscape.looksLikeMarkup(first) {
            var again: [UInt8] = []
            again.reserveCapacity(first.utf8.count)
            for b in first.utf8 { again.append(b == 0x0A ? 0x20 : b) }
            return html.plainText(again)
        }
        return first
    }
}

/// Builds the final `FeedItem` from a `RawItem`: converts each field and applies the
/// precedence rules between elements that mean the same thing.
final class ItemAssembler {
    private let converter: FieldConverter
    private(set) var warnings: [String] = []
    private let maxWarnings: Int

    init(maxWarnings: Int = 50) {
        converter = FieldConverter(entities: EntityTable())
        self.maxWarnings = maxWarnings
    }

    func assemble(_ raw: RawItem) -> FeedItem {
        var item = ItemDraft()
        item.guidIsPermaLink = raw.guidIsPermaLink
        item.atomLinks = raw.atomLinks
        item.otherLink = raw.otherLink
        item.categories = raw.categories
        // Read in place: a field bound from the array was a retain of its bytes and base.
        raw.fields.withUnsafeBufferPointer { fields in
            for i in fields.indices {
                guard let value = converter.text(of: fields[i]) else { continue }
                store(value, in: fields[i].field, base: fields[i].base, into: &item, index: raw.index)
            }
        }
        return item.build()
    }

    private func store(_ value: String, in field: Field, base: String?, into item: inout ItemDraft, index: Int) {
        func date(_ value: String) -> Date? {
            if let date = FeedDate.parse(value) { return date }
            if warnings.count < maxWarnings { warnings.append("item \(index): unparseable date '\(value.prefix(80))'") }
            return nil
        }
        switch field {
        case .feedTitle, .feedLink: break
        case .title: if item.title == nil { item.title = value }
        case .dcTitle: if item.dcTitle == nil { item.dcTitle = value }
        case .link: if item.link == nil { item.link = URLResolver.resolve(value, against: base) }
        case .id:
            if item.id == nil {
                item.id = value
                item.guidBase = base
            }
        case .published: if item.published == nil { item.published = date(value) }
        case .updated: if item.updated == nil { item.updated = date(value) }
        case .dcDate: if item.dcDate == nil { item.dcDate = date(value) }
        case .rssAuthor: if item.rssAuthor == nil { item.rssAuthor = value }
        case .dcCreator: if item.dcCreator == nil { item.dcCreator = value }
        case .authorName: if item.authorName == nil { item.authorName = value }
        case .authorEmail: if item.authorEmail == nil { item.authorEmail = value }
        case .summary: if item.summary == nil { item.summary = value }
        case .dcDescription: if item.dcDescription == nil { item.dcDescription = value }
        case .content: if item.content == nil { item.content = value }
        case .category: item.categories.append(value)
        }
    }
}
