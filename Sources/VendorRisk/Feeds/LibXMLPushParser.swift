import CLibXML2

/// The one owner of a libxml2 SAX2 push-parser context.
///
/// Options: `RECOVER` (keep the items after an error), `NONET`, `IGNORE_ENC` (the input is
/// already UTF-8: see `InputDecoder`). Never `NOENT`, `DTDLOAD` or `HUGE`: the first two read
/// external entities, the last switches off libxml2's entity-expansion guard. External entities and
/// DTDs are refused three times over: no option loads them, `resolveEntity` answers nothing, and the
/// process-wide entity loader refuses every request.
final class LibXMLPushParser {
    private let ctxt: xmlParserCtxtPtr
    private let builder: FeedBuilder
    // The SAX callbacks touch this state once per element and per text run, always on one
    // thread; dynamic exclusivity checks on it measured 7% of parse time, so they are off here.
    @exclusivity(unchecked) private var vocabularies: [UnsafeRawPointer: Vocabulary] = [:]
    /// The namespace last looked up, and its vocabulary: most elements of a feed are in one or
    /// two namespaces (libxml2 interns the URIs: one pointer each), and a dictionary lookup hashed
    /// the pointer per element.
    @exclusivity(unchecked) private var lastNamespace: (uri: UnsafeRawPointer?, vocabulary: Vocabulary) = (nil, .rss)
    @exclusivity(unchecked) private var names: [UnsafeRawPointer: String] = [:]
    /// A direct-mapped cache in front of `names`: two lookups per element, and hashing a pointer
    /// through `Dictionary` cost more than the rest of either.
    @exclusivity(unchecked) private var recentNames = [(key: UnsafeRawPointer?, name: String)](repeating: (nil, ""), count: 64)
    @exclusivity(unchecked) private var budget: Int
    @exclusivity(unchecked) private var stopped = false
    /// What an element in no namespace is: RSS, unless the root said Atom.
    private var unqualified: Vocabulary = .rss
    private var pendingRSS090 = false
    @exclusivity(unchecked) private(set) var failure: Error?
    @exclusivity(unchecked) private(set) var sawRoot = false
    private(set) var firstError: String?
    /// Where the sanitizer put the CDATA sections' text, if it did (`CDATASideChannel`).
    var sideChannel: CDATASideChannel?

    init(builder: FeedBuilder, expansionBudget: Int, fileName: String) throws {
        LibXML.initializeOnce()
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startDocument = xmlSAX2StartDocument
        sax.internalSubset = xmlSAX2InternalSubset
        sax.entityDecl = xmlSAX2EntityDecl
        sax.getParameterEntity = xmlSAX2GetParameterEntity
        sax.getEntity = { ctx, name in
            guard let entity = xmlSAX2GetEntity(ctx, name) else { return nil }
            switch entity.pointee.etype {
            case XML_INTERNAL_GENERAL_ENTITY, XML_INTERNAL_PREDEFINED_ENTITY: return entity
            default: return nil
            }
        }
        sax.resolveEntity = { _, _, _ in nil }
        sax.startElementNs = { ctx, localname, _, uri, namespaceCount, namespaces, attributeCount, _, attributes in
            guard let localname else { return }
            LibXMLPushParser.withOwner(ctx) { parser in
                if !parser.sawRoot { parser.adoptRoot(localname, uri, Int(namespaceCount), namespaces, Int(attributeCount), attributes) }
                parser.startElement(localname, uri, Int(attributeCount), attributes)
            }
        }
        sax.endElementNs = { ctx, _, _, _ in
            LibXMLPushParser.withOwner(ctx) { $0.builder.endElement() }
        }
        sax.characters = { ctx, chars, length in
            guard let chars else { return }
            LibXMLPushParser.withOwner(ctx) { $0.characters(chars, Int(length), ctx) }
        }
        sax.cdataBlock = { ctx, chars, length in
            guard let chars else { return }
            LibXMLPushParser.withOwner(ctx) { $0.cdataBlock(chars, Int(length), ctx) }
        }
        sax.serror = { userData, error in
            guard let error else { return }
            LibXMLPushParser.withOwner(userData) { $0.record(error.pointee) }
        }
        guard let ctxt = xmlCreatePushParserCtxt(&sax, nil, nil, 0, fileName) else {
            throw FeedError.unreadable(path: fileName, reason: "libxml2 could not create a parser")
        }
        self.ctxt = ctxt
        self.builder = builder
        self.budget = expansionBudget
        let options = XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue
        xmlCtxtUseOptions(ctxt, Int32(options))
        xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)
        ctxt.pointee._private = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if let doc = ctxt.pointee.myDoc {
            xmlFreeDoc(doc)
            ctxt.pointee.myDoc = nil
        }
        xmlFreeParserCtxt(ctxt)
    }

    /// Whether the parser takes no more input: stopped by the reader (its budget) or halted by
    /// libxml2 after a fatal error. Input pushed after that is ignored.
    var hasHalted: Bool { stopped || ctxt.pointee.instate == XML_PARSER_EOF }

    /// Pushes UTF-8 bytes; `terminate` ends the document.
    func push(_ bytes: UnsafeBufferPointer<UInt8>, terminate: Bool) {
        guard !stopped || terminate else { return }
        bytes.withMemoryRebound(to: CChar.self) { p in
            _ = xmlParseChunk(ctxt, p.baseAddress, Int32(p.count), terminate ? 1 : 0)
        }
    }

    // MARK: - Callbacks

    /// Runs `body` with the parser behind a callback's context (entity sub-parsers share
    /// `_private`). The parser outlives every callback (it owns the context), so it is lent
    /// without a retain and release per element and text run.
    @inline(__always)
    private static func withOwner(_ ctx: UnsafeMutableRawPointer?, _ body: (LibXMLPushParser) -> Void) {
        guard let ctx else { return }
        let context = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let me = context.pointee._private else { return }
        Unmanaged<LibXMLPushParser>.fromOpaque(me)._withUnsafeGuaranteedRef(body)
    }

    private func startElement(_ localname: UnsafePointer<xmlChar>, _ uri: UnsafePointer<xmlChar>?,
                               _ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard failure == nil else { return }
        let vocabulary = self.vocabulary(uri)
        let name = self.name(localname)
        let list = AttributeList(pointer: attributes, count: count)
        do {
            try builder.startElement(vocabulary: vocabulary, name: name, attributes: list)
            if !sawRoot {
                sawRoot = true
                if pendingRSS090 { builder.noteRSS090() }
            }
        } catch {
            failure = error
            stop()
        }
    }

    /// An Atom feed in a namespace of its own (or none) is still Atom: its elements are read as
    /// Atom's. An RDF root declaring the RSS 0.90 namespace is RSS 0.90 even with no items.
    private func adoptRoot(_ localname: UnsafePointer<xmlChar>, _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int,
                           _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                           _ attributeCount: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        let name = self.name(localname)
        if let namespaces {
            for k in 0..<namespaceCount {
                if let ns = namespaces[2 * k + 1], Self.isRSS090Namespace(ns) {
                    pendingRSS090 = true
                }
            }
        }
        guard name == "feed" else { return }
        let v = vocabulary(uri)
        guard v != .atom10, v != .atom03 else { return }
        var version: String?
        if let attributes {
            for k in 0..<attributeCount {
                let a = attributes + 5 * k
                if let local = a[0], String(cString: local) == "version", let start = a[3], let end = a[4] {
                    version = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                }
            }
        }
        let atom: Vocabulary = version == "0.3" ? .atom03 : .atom10
        if let uri { vocabularies[UnsafeRawPointer(uri)] = atom } else { unqualified = atom }
        lastNamespace = (nil, .rss)
    }

    private func characters(_ chars: UnsafePointer<xmlChar>, _ length: Int, _ ctx: UnsafeMutableRawPointer?) {
        budget -= length
        if budget < 0 {
            if !stopped {
                builder.warn("entity expansion or text exceeded the reader's budget; the rest of the feed was not read")
                stop()
            }
            if let ctx { xmlStopParser(ctx.assumingMemoryBound(to: xmlParserCtxt.self)) }
            return
        }
        builder.characters(UnsafeBufferPointer(start: chars, count: length))
    }

    /// A CDATA section's text: a marker of the side channel stands for it.
    private func cdataBlock(_ chars: UnsafePointer<xmlChar>, _ length: Int, _ ctx: UnsafeMutableRawPointer?) {
        if let channel = sideChannel, let text = channel.text(forMarker: UnsafeBufferPointer(start: chars, count: length)) {
            text.withUnsafeBufferPointer { b in
                // An empty section is delivered empty, as libxml2 does.
                withUnsafePointer(to: UInt8(0)) { empty in characters(b.baseAddress ?? empty, b.count, ctx) }
            }
            return
        }
        characters(chars, length, ctx)
    }

    private func record(_ error: xmlError) {
        guard error.level != XML_ERR_NONE else { return }
        var message = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        while message.last?.isWhitespace == true { message.removeLast() }
        let text = error.line > 0 ? "line \(error.line): \(message)" : message
        if firstError == nil { firstError = text }
        if sawRoot || error.level == XML_ERR_WARNING { builder.warn(text) }
    }

    private func stop() {
        stopped = true
        xmlStopParser(ctxt)
    }

    private func vocabulary(_ uri: UnsafePointer<xmlChar>?) -> Vocabulary {
        guard let uri else { return unqualified }
        let key = UnsafeRawPointer(uri)
        if lastNamespace.uri == key { return lastNamespace.vocabulary }
        let v: Vocabulary
        if let known = vocabularies[key] {
            v = known
        } else {
            v = Vocabulary(namespace: String(cString: uri))
            if Self.isRSS090Namespace(uri) { builder.noteRSS090() }
            vocabularies[key] = v
        }
        lastNamespace = (key, v)
        return v
    }

    /// Whether a namespace URI is RSS 0.90's, searched on its bytes: Foundation's `contains` on a
    /// String went through a CFString search, some thousands of instructions, a few times a feed.
    private static func isRSS090Namespace(_ uri: UnsafePointer<xmlChar>) -> Bool {
        rss090Marker.withUnsafeBufferPointer { xmlStrstr(uri, $0.baseAddress) != nil }
    }
    private static let rss090Marker = Array("netscape.com/rdf/simple/0.9".utf8) + [0]

    private func name(_ localname: UnsafePointer<xmlChar>) -> String {
        // libxml2 interns names in the context's dictionary: one pointer, one name.
        let key = UnsafeRawPointer(localname)
        let bits = Int(bitPattern: key)
        let slot = (bits >> 3 ^ bits >> 9) & 63
        if recentNames[slot].key == key { return recentNames[slot].name }
        let text: String
        if let known = names[key] {
            text = known
        } else {
            text = String(cString: localname)
            names[key] = text
        }
        recentNames[slot] = (key, text)
        return text
    }
}

/// Attribute values arrive undecoded without `NOENT` (`&amp;` as `&#38;`): decode them here.
enum AttributeValue {
    static func decode(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        guard raw.contains(0x26) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            if raw[i] == 0x26, let semi = raw[i..<min(raw.count, i + 12)].firstIndex(of: 0x3B) {
                let body = UnsafeBufferPointer(rebasing: raw[(i + 1)..<semi])
                if body.first == 0x23, let v = CharacterReference.parseNumber(UnsafeBufferPointer(rebasing: body[1...])) {
                    CharacterReference.appendUTF8(CharacterReference.sanitized(v), to: &out)
                    i = semi + 1
                    continue
                }
                let predefined: [String: UInt8] = ["amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27]
                if let b = predefined[String(decoding: body, as: UTF8.self)] {
                    out.append(b)
                    i = semi + 1
                    continue
                }
            }
            out.append(raw[i] == 0x09 || raw[i] == 0x0A || raw[i] == 0x0D ? 0x20 : raw[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Process-wide libxml2 set-up, done once before any parser runs on any thread.
enum LibXML {
    private static let ready: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
        return true
    }()

    static func initializeOnce() { _ = ready }
}

/// The attributes of one start tag, read in place: values are decoded only when asked for.
struct AttributeList {
    fileprivate let pointer: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    fileprivate let count: Int

    /// The value of the attribute with this local name and no `xml:` prefix.
    func value(_ name: StaticString) -> String? {
        find { local, prefix in equals(local, name) && (prefix == nil || !equals(prefix!, "xml")) }
    }

    /// `xml:base`, the only attribute every element may carry that the reader needs.
    var xmlBase: String? {
        find { local, prefix in prefix != nil && equals(prefix!, "xml") && equals(local, "base") }
    }

    private func find(_ match: (UnsafePointer<xmlChar>, UnsafePointer<xmlChar>?) -> Bool) -> String? {
        guard count > 0, let pointer else { return nil }
        for k in 0..<count {
            let a = pointer + 5 * k
            guard let local = a[0], let start = a[3], let end = a[4], match(local, a[1]) else { continue }
            return AttributeValue.decode(UnsafeBufferPointer(start: start, count: end - start))
        }
        return nil
    }

    private func equals(_ c: UnsafePointer<xmlChar>, _ s: StaticString) -> Bool {
        let p = s.utf8Start
        let n = s.utf8CodeUnitCount
        for k in 0..<n where c[k] != p[k] { return false }
        return c[n] == 0
    }
}
