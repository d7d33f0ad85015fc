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
    private var decoder = InputDecoder()
    private var sanitizer: XMLInputSanitizer
    private var buffer: [UInt8] = []
    private var received = 0

    /// - Parameters:
    ///   - source: the path or URL, for messages.
    ///   - documentURL: the feed's own http(s) URL, the outermost base for relative links.
    public init(source: String, documentURL: String? = nil, options: FeedReaderOptions = .init(),
                onItem: @escaping (FeedItem) -> Void) throws {
        let entities = EntityTable()
        self.source = source
        self.options = options
        self.builder = FeedBuilder(documentURL: documentURL, limits: options, entities: entities, onItem: onItem)
        self.sanitizer = XMLInputSanitizer(entities: entities)
        let budget = max(options.minExpansionBudget, options.expansionFactor * options.maxFeedBytes / 8)
        self.parser = try LibXMLPushParser(builder: builder, expansionBudget: budget, fileName: source)
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

    /// Ends the input and returns the header and warnings.
    public func finish() throws -> FeedSummary {
        process(UnsafeBufferPointer(start: nil, count: 0), final: true)
        try checkFailure()
        builder.finishDocument()
        if received == 0 { throw FeedError.empty(path: source) }
        guard parser.sawRoot, let header = builder.header else {
            throw FeedError.notXML(path: source, detail: parser.firstError ?? "no root element")
        }
        var warnings = decoder.warnings + builder.warnings
        if sanitizer.repairedBytes > 0 {
            warnings.insert("\(sanitizer.repairedBytes) invalid bytes (bad UTF-8, NUL or control characters) were replaced or dropped", at: 0)
        }
        if builder.droppedWarnings > 0 { warnings.append("… and \(builder.droppedWarnings) more warnings") }
        return FeedSummary(header: header, warnings: warnings, itemCount: builder.itemCount)
    }

    private func process(_ chunk: UnsafeBufferPointer<UInt8>, final: Bool) {
        decoder.decode(chunk, final: final) { utf8 in
            sanitizer.process(utf8, final: final, into: &buffer)
        }
        if buffer.count >= options.chunkSize || final {
            buffer.withUnsafeBufferPointer { parser.push($0, terminate: final) }
            buffer.removeAll(keepingCapacity: true)
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
