/// What reading a feed produced besides its items.
public struct FeedSummary: Sendable, Equatable {
    public var header: FeedHeader
    public var warnings: [String]
    public var itemCount: Int
}

/// Reads one feed from chunks of bytes as they arrive (file reads or an HTTP body), handing
/// each item to `onItem` as soon as its element closes: memory stays flat in the feed's size.
///
/// bytes ──InputDecoder──▶ UTF-8 ──XMLInputSanitizer──▶ libxml2 SAX2 push ──FeedBuilder──▶ items
public final class FeedStreamParser {
    private let source: String
    private let options: FeedReaderOptions
    private let builder: FeedBuilder
    private let parser: LibXMLPushParser
    // The SAX callbacks touch this state once per element and per text run, always on one
    // thread; dynamic exclusivity checks on it measured 7% of parse time, so they are off here.
    @exclusivity(unchecked) private var decoder = InputDecoder()
    @exclusivity(unchecked) private var sanitizer: XMLInputSanitizer
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    @exclusivity(unchecked) private var received = 0

    /// Set when items are assembled inline (the public initializer); nil when raw items go to
    /// a consumer on another thread, which assembles them itself.
    private let assembler: ItemAssembler?
    /// True when another thread already decoded and sanitized the input (`InputPreparer`).
    private let preparedInput: Bool

    /// - Parameters:
    ///   - source: the path or URL, for messages.
    ///   - documentURL: the feed's own http(s) URL, the outermost base for relative links.
    public convenience init(source: String, documentURL: String? = nil, options: FeedReaderOptions = .init(),
                            onItem: @escaping (FeedItem) -> Void) throws {
        let assembler = ItemAssembler(maxWarnings: options.maxWarnings)
        try self.init(source: source, documentURL: documentURL, options: options, assembler: assembler) { raw in
            onItem(assembler.assemble(raw))
        }
    }

    init(source: String, documentURL: String?, options: FeedReaderOptions, assembler: ItemAssembler?,
         preparedInput: Bool = false, onRawItem: @escaping (RawItem) -> Void) throws {
        self.preparedInput = preparedInput
        let entities = EntityTable()
        self.source = source
        self.options = options
        self.assembler = assembler
        self.builder = FeedBuilder(documentURL: documentURL, limits: options, entities: entities, onItem: onRawItem)
        self.sanitizer = XMLInputSanitizer(entities: entities)
        let budget = max(options.minExpansionBudget, options.expansionFactor * options.maxFeedBytes / 8)
        self.parser = try LibXMLPushParser(builder: builder, expansionBudget: budget, fileName: source)
        // The sanitizer and libxml2 take turns on this thread: CDATA text can go around libxml2.
        if !preparedInput {
            let channel = CDATASideChannel()
            sanitizer.sideChannel = channel
            parser.sideChannel = channel
        }
        buffer.reserveCapacity(options.chunkSize * 2)
    }

    /// Parses the next chunk; throws as soon as the input is known not to be a feed.
    public func consume(_ chunk: UnsafeBufferPointer<UInt8>) throws {
        received += chunk.count
        if received > options.maxFeedBytes {
            throw FeedError.tooLarge(path: source, bytes: received, limit: options.maxFeedBytes)
        }
        process(chunk, final: false)
        try checkFailure()
    }

    /// Parses a chunk that an `InputPreparer` produced.
    func consumePrepared(_ chunk: UnsafeBufferPointer<UInt8>) throws {
        received += chunk.count
        parser.push(chunk, terminate: false)
        try checkFailure()
    }

    /// Ends the input and returns the header and warnings (with the preparer's, when another
    /// thread prepared the input).
    func finish(preparer: InputPreparer?) throws -> FeedSummary {
        var summary = try finish()
        if let preparer { summary.warnings.insert(contentsOf: preparer.warnings, at: 0) }
        return summary
    }

    /// Ends the input and returns the header and warnings.
    public func finish() throws -> FeedSummary {
        process(UnsafeBufferPointer(start: nil, count: 0), final: true)
        try checkFailure()
        builder.finishDocument()
        if received == 0 { throw FeedError.empty(path: source) }
        guard parser.sawRoot, let header = builder.header else {
            throw FeedError.notXML(path: source, detail: parser.firstError ?? "no root element")
        }
        var warnings = decoder.warnings + builder.warnings + (assembler?.warnings ?? [])
        if sanitizer.repairedBytes > 0 {
            warnings.insert("\(sanitizer.repairedBytes) invalid bytes (bad UTF-8, NUL or control characters) were replaced or dropped", at: 0)
        }
        if builder.droppedWarnings > 0 { warnings.append("… and \(builder.droppedWarnings) more warnings") }
        return FeedSummary(header: header, warnings: warnings, itemCount: builder.itemCount)
    }

    private func process(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool) {
        if preparedInput {
            parser.push(chunk, terminate: final)
            return
        }
        decoder.decode(chunk, final: final) { utf8 in
            sanitizer.process(utf8, final: final, into: &buffer)
        }
        // CDATA text held beside libxml2 counts too: what waits for libxml2 stays about a chunk.
        if buffer.count + (sanitizer.sideChannel?.pendingBytes ?? 0) >= options.chunkSize || final {
            buffer.withUnsafeBufferPointer { parser.push($0, terminate: final) }
            buffer.removeAll(keepingCapacity: true)
            sanitizer.outputTaken()
            if parser.hasHalted, let channel = sanitizer.sideChannel, channel.isOpen { channel.close() }
        }
    }

    private func checkFailure() throws {
        if let failure = parser.failure {
            if case let FeedBuilder.Failure.notAFeed(root) = failure {
                throw FeedError.notAFeed(path: source, root: root)
            }
            throw failure
        }
    }
}

/// Decoding and sanitizing, the first stage of the reader, run on a thread of its own for large
/// files so that libxml2 and the element logic get a core to themselves.
///
/// Unchecked Sendable: the reading thread uses it until it closes the chunk pipe; the parsing
/// thread reads `warnings` only after taking the pipe's end, which the pipe's lock orders after.
final class InputPreparer: @unchecked Sendable {
    private var decoder = InputDecoder()
    private var sanitizer = XMLInputSanitizer(entities: EntityTable())

    /// Turns raw bytes into parser-ready UTF-8 (possibly empty while a sequence is incomplete),
    /// written into `buffer`'s storage (a buffer the parser is done with, to reuse).
    func prepare(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool, reusing buffer: consuming [UInt8] = []) -> [UInt8] {
        var out = buffer
        out.removeAll(keepingCapacity: true)
        decoder.decode(chunk, final: final) { utf8 in
            sanitizer.process(utf8, final: final, into: &out)
        }
        return out
    }

    var warnings: [String] {
        var out = decoder.warnings
        if sanitizer.repairedBytes > 0 {
            out.insert("\(sanitizer.repairedBytes) invalid bytes (bad UTF-8, NUL or control characters) were replaced or dropped", at: 0)
        }
        return out
    }
}
