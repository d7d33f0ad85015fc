import Foundation

/// The state machine behind the SAX reader: element events in, `FeedItem`s out.
///
/// It knows RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 element names by namespace, the Dublin Core and
/// content modules, `xml:base`, and which text is HTML. It never sees libxml2 types, so it can be
/// driven by any event source.
final class FeedBuilder {
    enum Failure: Error { case notAFeed(root: String) }

    private enum Role { case plain, root, channel, item, author, ignoredSubtree }

    private struct Frame {
        let vocabulary: Vocabulary
        let name: String
        let base: String?
        let role: Role
    }

    // The SAX callbacks touch this state once per element and per text run, always on one
    // thread; dynamic exclusivity checks on it measured 7% of parse time, so they are off here.
    @exclusivity(unchecked) private var frames: [Frame] = []
    @exclusivity(unchecked) private var ignoredDepth = 0
    @exclusivity(unchecked) private var itemDepth: Int?
    @exclusivity(unchecked) private var ignoreDepth: Int?
    @exclusivity(unchecked) private var capture: FieldCapture?
    @exclusivity(unchecked) private var item = RawItem()
    @exclusivity(unchecked) private var headerTitle: String?
    @exclusivity(unchecked) private var headerLink: String?
    private(set) var format: FeedFormat?
    private(set) var rootName: String?
    @exclusivity(unchecked) private(set) var itemCount = 0
    @exclusivity(unchecked) private(set) var warnings: [String] = []
    @exclusivity(unchecked) private var warningCount = 0

    let limits: FeedReaderOptions
    private let documentBase: String?
    /// Converts the feed's own title; item fields are converted later, maybe on another thread.
    private let converter: FieldConverter
    private let onItem: (RawItem) -> Void

    init(documentURL: String?, limits: FeedReaderOptions, entities: EntityTable, onItem: @escaping (RawItem) -> Void) {
        if let documentURL, documentURL.hasPrefix("http://") || documentURL.hasPrefix("https://") {
            documentBase = documentURL
        } else {
            documentBase = nil
        }
        self.limits = limits
        self.converter = FieldConverter(entities: entities)
        self.onItem = onItem
    }

    var header: FeedHeader? {
        format.map { FeedHeader(format: $0, title: headerTitle, link: headerLink) }
    }

    func warn(_ message: String) {
        warningCount += 1
        if warnings.count < limits.maxWarnings { warnings.append(message) }
    }

    var droppedWarnings: Int { warningCount - warnings.count }

    // MARK: - Events

    func startElement(vocabulary: Vocabulary, name: String, attributes: AttributeList) throws {
        if frames.count >= limits.maxDepth {
            if ignoredDepth == 0 { warn("elements nested deeper than \(limits.maxDepth) levels were ignored") }
            ignoredDepth += 1
            return
        }
        let parentBase = frames.last?.base ?? documentBase
        var base = parentBase
        if let xmlBase = attributes.xmlBase {
            base = URLResolver.resolve(xmlBase, against: parentBase)
        }

        // Changed where it is (`!`): a copy changed and written back copied the captured bytes.
        if capture != nil {
            capture!.childStarted(name: name)
            frames.append(Frame(vocabulary: vocabulary, name: name, base: base, role: .plain))
            return
        }
        let role = try classify(vocabulary: vocabulary, name: name, attributes: attributes, base: base)
        frames.append(Frame(vocabulary: vocabulary, name: name, base: base, role: role))
    }

    func endElement() {
        if ignoredDepth > 0 { ignoredDepth -= 1; return }
        guard let frame = frames.popLast() else { return }
        let depth = frames.count
        if let captured = capture?.depth {
            if captured == depth {
                finish(capture.take()!)
            } else {
                capture!.childEnded(name: frame.name)
            }
            return
        }
        if ignoreDepth == depth { ignoreDepth = nil }
        if frame.role == .item, itemDepth == depth {
            emitItem()
            itemDepth = nil
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard ignoredDepth == 0, capture != nil else { return }
        if !capture!.append(bytes, limit: limits.maxFieldBytes) {
            warn("a field longer than \(limits.maxFieldBytes) bytes was cut")
        }
    }

    /// Called at the end of input: an item cut off by the end of a broken file is still kept
    /// only if it is complete enough to have a title or link.
    func finishDocument() {
        if let c = capture.take() { finish(c) }
        if itemDepth != nil {
            if item.hasSubstance { emitItem() }
            itemDepth = nil
        }
    }

    // MARK: - Classification

    private func classify(vocabulary v: Vocabulary, name: String, attributes: AttributeList, base: String?) throws -> Role {
        let depth = frames.count
        if depth == 0 { return try classifyRoot(v, name, attributes) }
        if ignoreDepth != nil { return .plain }
        let parent = frames[depth - 1]

        if let itemDepth {
            if depth == itemDepth + 1 {
                return itemChild(v, name, attributes, base: base)
            }
            if parent.role == .author, v.isAtom {
                if name == "name" { startCapture(.authorName, .raw) }
                else if name == "email" { startCapture(.authorEmail, .raw) }
            }
            return .plain
        }
        if (v == .rss && name == "item") || (v.isAtom && name == "entry") {
            itemDepth = depth
            item = RawItem()
            return .item
        }
        if v == .rss, name == "channel" { return .channel }
        if parent.role == .channel || parent.role == .root && format.map(Self.isAtom) == true {
            headerChild(v, name, attributes, base: base)
        }
        return .plain
    }

    private static func isAtom(_ f: FeedFormat) -> Bool { f == .atom10 || f == .atom03 }

    private func classifyRoot(_ v: Vocabulary, _ name: String, _ attributes: AttributeList) throws -> Role {
        rootName = name
        switch (v, name) {
        case (.rss, "rss"):
            let version = attributes.value("version") ?? ""
            format = version.hasPrefix("0.9") ? .rss09x : .rss20
        case (.rdf, "RDF"):
            format = .rss10
        case (.atom10, "feed"):
            format = .atom10
        case (.atom03, "feed"):
            format = .atom03
        case (.rss, "feed"):
            // Atom without its namespace: read it by the version attribute.
            format = attributes.value("version") == "0.3" ? .atom03 : .atom10
        default:
            throw Failure.notAFeed(root: name)
        }
        return .root
    }

    func noteRSS090() { if format == .rss10 { format = .rss09x } }

    private func headerChild(_ v: Vocabulary, _ name: String, _ attributes: AttributeList, base: String?) {
        switch (v, name) {
        case (.rss, "title") where headerTitle == nil:
            startCapture(.feedTitle, .html)
        case (.rss, "link") where headerLink == nil:
            startCapture(.feedLink, .raw, base: base)
        case (.atom10, "title"), (.atom03, "title"):
            if headerTitle == nil, let mode = atomTextMode(v, attributes) { startCapture(.feedTitle, mode.0, base64: mode.1) }
        case (.atom10, "link"), (.atom03, "link"):
            if headerLink == nil, let href = alternateHref(attributes) {
                headerLink = URLResolver.resolve(href, against: base)
            }
        case (.dc, "title") where headerTitle == nil:
            startCapture(.feedTitle, .html)
        default:
            break
        }
    }

    private func itemChild(_ v: Vocabulary, _ name: String, _ attributes: AttributeList, base: String?) -> Role {
        switch v {
        case .rss:
            switch name {
            case "title": startCapture(.title, .html)
            case "link": startCapture(.link, .raw, base: base)
            case "description": startCapture(.summary, .html)
            case "guid":
                item.guidIsPermaLink = attributes.value("isPermaLink")?.lowercased() != "false"
                startCapture(.id, .raw, base: base)
            case "pubDate": startCapture(.published, .raw)
            case "author": startCapture(.rssAuthor, .raw)
            case "category": startCapture(.category, .raw)
            // Pre-standard full-text elements some feeds still use.
            case "body": startCapture(.content, .xhtml)
            case "fullitem": startCapture(.content, .html)
            default: break
            }
        case .dc:
            switch name {
            case "title": startCapture(.dcTitle, .html)
            case "creator", "author": startCapture(.dcCreator, .raw)
            case "date": startCapture(.dcDate, .raw)
            case "subject": startCapture(.category, .raw)
            case "description": startCapture(.dcDescription, .html)
            default: break
            }
        case .dcterms:
            switch name {
            case "issued", "created": startCapture(.published, .raw)
            case "modified": startCapture(.updated, .raw)
            default: break
            }
        case .content:
            if name == "encoded" { startCapture(.content, .html) }
        case .xhtml:
            if name == "body" || name == "div" { startCapture(.content, .xhtml) }
        case .atom10, .atom03:
            switch name {
            case "title", "summary", "content":
                let field: Field = name == "title" ? .title : name == "summary" ? .summary : .content
                if let mode = atomTextMode(v, attributes) { startCapture(field, mode.0, base64: mode.1) }
            case "link":
                if let href = alternateHref(attributes) {
                    item.atomLinks.append(URLResolver.resolve(href, against: base))
                } else if item.otherLink == nil, let href = attributes.value("href") {
                    let rel = attributes.value("rel") ?? ""
                    if rel != "self" && rel != "enclosure" && rel != "replies" {
                        item.otherLink = URLResolver.resolve(href, against: base)
                    }
                }
            case "id": startCapture(.id, .raw, base: nil)
            case "published", "issued": startCapture(.published, .raw)
            case "updated", "modified": startCapture(.updated, .raw)
            case "author": return .author
            case "category":
                guard limits.readsBylinesAndCategories else { break }
                if let term = attributes.value("term") ?? attributes.value("label"), !term.trimmingXMLSpace().isEmpty {
                    item.categories.append(term.trimmingXMLSpace())
                } else {
                    startCapture(.category, .raw)
                }
            case "source": ignoreDepth = frames.count; return .ignoredSubtree
            default: break
            }
        default:
            break
        }
        return .plain
    }

    /// An Atom `link` that is the alternate (a link with no `rel` is one), or nil.
    private func alternateHref(_ attributes: AttributeList) -> String? {
        let rel = attributes.value("rel")?.trimmingXMLSpace().lowercased() ?? "alternate"
        guard rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate" else { return nil }
        return attributes.value("href")
    }

    /// The text mode of an Atom text construct; nil for binary content.
    private func atomTextMode(_ v: Vocabulary, _ attributes: AttributeList) -> (TextMode, Bool)? {
        let type = attributes.value("type")?.trimmingXMLSpace().lowercased()
        let mode = v == .atom03 ? attributes.value("mode")?.trimmingXMLSpace().lowercased() : nil
        var textMode: TextMode
        switch type {
        case nil, "text", "text/plain": textMode = .text
        case "html", "text/html": textMode = .html
        case "xhtml", "application/xhtml+xml": textMode = .xhtml
        case let t? where t.hasPrefix("text/"): textMode = .text
        case let t? where t.hasSuffix("+xml") || t.hasSuffix("/xml"): textMode = .xhtml
        default: return nil
        }
        if mode == "escaped", textMode == .xhtml { textMode = .html }
        if mode == "xml", textMode == .html { textMode = .xhtml }
        return (textMode, mode == "base64")
    }

    private func startCapture(_ field: Field, _ mode: TextMode, base: String? = nil, base64: Bool = false) {
        guard limits.readsBylinesAndCategories || !field.isBylineOrCategory else { return }
        capture = FieldCapture(field: field, mode: mode, depth: frames.count, base: base, base64: base64)
    }

    // MARK: - Finishing fields and items

    private func finish(_ c: consuming FieldCapture) {
        switch c.field {
        case .feedTitle:
            if headerTitle == nil { headerTitle = converter.text(of: c) }
        case .feedLink:
            if headerLink == nil, let value = converter.text(of: c) { headerLink = URLResolver.resolve(value, against: c.base) }
        default:
            guard !c.bytes.isEmpty else { return }
            // An item has a handful of fields: room for them at once, not four reallocations.
            if item.fields.capacity == 0 { item.fields.reserveCapacity(8) }
            item.fields.append(consume c)
        }
    }

    private func emitItem() {
        itemCount += 1
        item.index = itemCount
        // Moved out, not copied (a copy retained the fields of every item).
        var emitted = RawItem()
        swap(&emitted, &item)
        onItem(emitted)
    }
}

/// The kind of text an element holds.
enum TextMode { case raw, text, html, xhtml }

enum Field {
    case feedTitle, feedLink
    case title, dcTitle, link, id, published, updated, dcDate
    case rssAuthor, dcCreator, authorName, authorEmail
    case summary, dcDescription, content, category

    /// An item's author or category: read for `parse`, not by a run.
    var isBylineOrCategory: Bool {
        switch self {
        case .rssAuthor, .dcCreator, .authorName, .authorEmail, .category: true
        default: false
        }
    }
}
