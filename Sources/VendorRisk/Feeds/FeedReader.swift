import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads feed files with the streaming parser; the entry point for every stage that needs items.
public struct FeedReader: Sendable {
    public var options: FeedReaderOptions

    public init(options: FeedReaderOptions = .init()) {
        self.options = options
    }

    /// Sets libxml2 up; call once on the main thread before reading feeds concurrently.
    public static func prepare() { LibXML.initializeOnce() }

    /// Streams the items of the feed at `path` to `onItem`, in document order.
    ///
    /// Feeds of `pipelineThreshold` bytes or more are read on three threads: one reads, decodes and
    /// sanitizes the bytes, one runs libxml2 and the element logic, and the calling thread turns
    /// captured HTML into text and calls `onItem`; memory stays bounded by the pipes between them.
    @discardableResult
    public func read(atPath path: String, onItem: @escaping (FeedItem) -> Void) throws -> FeedSummary {
        try read(atPath: path, observingBytes: nil, onItem: onItem)
    }

    /// As `read(atPath:onItem:)`; `observer` sees every byte of the file as it is read (to hash
    /// it in the same pass), on the thread that reads.
    public func read(atPath path: String, observingBytes observer: ByteObserver?,
                     onItem: @escaping (FeedItem) -> Void) throws -> FeedSummary {
        let file = try FeedFile(path: path, maxBytes: options.maxFeedBytes)
        guard file.size >= options.pipelineThreshold else {
            let parser = try FeedStreamParser(source: path, options: options, onItem: onItem)
            try file.pump(into: parser, chunkSize: options.chunkSize, observer: observer)
            return try parser.finish()
        }
        return try readPipelined(file, path: path, observer: observer, onItem: onItem)
    }

    /// Three threads: reading + decoding + sanitizing → libxml2 + element logic → text assembly
    /// (the caller's thread). Measured, the middle stage is the heaviest; splitting the first off
    /// gives it a core of its own.
    private func readPipelined(_ file: FeedFile, path: String, observer: ByteObserver?,
                               onItem: (FeedItem) -> Void) throws -> FeedSummary {
        let pipe = BoundedPipe<[RawItem], Result<FeedSummary, Error>>()
        let chunks = BoundedPipe<[UInt8], Error?>()
        // What a stage is done with goes back to the stage that made it: chunk buffers to the
        // reader to be filled again, items to the parsing thread to be released.
        let spentChunks = ReturnTray<[UInt8]>()
        let spentBatches = ReturnTray<[RawItem]>()
        let options = self.options
        let preparer = InputPreparer()
        let reader = Thread {
            do {
                try file.readChunks(chunkSize: options.chunkSize, observer: observer, cancelled: { chunks.isCancelled }) { bytes in
                    let prepared = preparer.prepare(bytes, final: false, reusing: spentChunks.takeOne() ?? [])
                    if !prepared.isEmpty { chunks.put(prepared) }
                }
                let tail = preparer.prepare(UnsafeBufferPointer(start: nil, count: 0), final: true)
                if !tail.isEmpty { chunks.put(tail) }
                chunks.close(nil)
            } catch {
                chunks.close(error)
            }
        }
        let producer = Thread {
            do {
                var batch: [RawItem] = []
                let parser = try FeedStreamParser(source: path, documentURL: nil, options: options, assembler: nil,
                                                  preparedInput: true) { raw in
                    batch.append(raw)
                    if batch.count == 64 {
                        pipe.put(batch)
                        batch.removeAll(keepingCapacity: true)
                        _ = spentBatches.takeAll()
                    }
                }
                while let chunk = chunks.take() {
                    try chunk.withUnsafeBufferPointer { try parser.consumePrepared($0) }
                    spentChunks.give(chunk)
                }
                if case let .some(.some(error)) = chunks.outcome { throw error }
                let summary = try parser.finish(preparer: preparer)
                if !batch.isEmpty { pipe.put(batch) }
                pipe.close(.success(summary))
            } catch {
                chunks.cancel()
                pipe.close(.failure(error))
            }
        }
        reader.stackSize = 1 << 20
        producer.stackSize = 8 << 20
        reader.start()
        producer.start()
        let assembler = ItemAssembler(maxWarnings: options.maxWarnings)
        while let batch = pipe.take() {
            for raw in batch { onItem(assembler.assemble(raw)) }
            spentBatches.give(batch)
        }
        guard var summary = try pipe.outcome?.get() else { throw FeedError.unreadable(path: path, reason: "reader stopped") }
        summary.warnings.append(contentsOf: assembler.warnings)
        return summary
    }

    /// The whole feed at `path`, items held in memory.
    public func readFeed(atPath path: String) throws -> Feed {
        var items: [FeedItem] = []
        let summary = try read(atPath: path) { items.append($0) }
        return Feed(header: summary.header, items: items, warnings: summary.warnings)
    }

    /// A feed from bytes in memory (tests, HTTP bodies already read).
    public func parse(_ bytes: [UInt8], source: String = "<memory>", documentURL: String? = nil) throws -> Feed {
        if bytes.count > options.maxFeedBytes {
            throw FeedError.tooLarge(path: source, bytes: bytes.count, limit: options.maxFeedBytes)
        }
        var items: [FeedItem] = []
        let parser = try FeedStreamParser(source: source, documentURL: documentURL, options: options) { items.append($0) }
        var offset = 0
        try bytes.withUnsafeBufferPointer { all in
            while offset < all.count {
                let end = min(all.count, offset + options.chunkSize)
                try parser.consume(UnsafeBufferPointer(rebasing: all[offset..<end]))
                offset = end
            }
        }
        let summary = try parser.finish()
        return Feed(header: summary.header, items: items, warnings: summary.warnings)
    }
}

/// An open feed file whose size was checked before a byte was read.
final class FeedFile: @unchecked Sendable {
    let fd: Int32
    let size: Int
    let path: String

    init(path: String, maxBytes: Int) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FeedError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw FeedError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        self.fd = fd
        self.path = path
        self.size = Int(info.st_size)
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FeedError.unreadable(path: path, reason: "is a directory") }
        // The stream parser counts again as it reads: a file that grows is still capped.
        if size > maxBytes { throw FeedError.tooLarge(path: path, bytes: size, limit: maxBytes) }
        if size == 0 && (info.st_mode & S_IFMT) == S_IFREG { throw FeedError.empty(path: path) }
    }

    deinit { close(fd) }

    /// Reads the file in chunks into `parser` (not `finish`ing it).
    func pump(into parser: FeedStreamParser, chunkSize: Int, observer: ByteObserver? = nil,
              cancelled: () -> Bool = { false }) throws {
        try readChunks(chunkSize: chunkSize, observer: observer, cancelled: cancelled) { try parser.consume($0) }
    }

    /// Hands the file to `body` in chunks of at most `chunkSize` bytes.
    func readChunks(chunkSize: Int, observer: ByteObserver?, cancelled: () -> Bool,
                    body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        // Only the bytes `read` wrote are ever looked at: a raw buffer, not zeroed first.
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        while !cancelled() {
            let n = systemRead(fd, chunk.baseAddress, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw FeedError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[0..<n]).bindMemory(to: UInt8.self)
            observer?.observe(bytes)
            try body(bytes)
        }
    }
}

/// Sees a feed's bytes as they are read (the nightly run hashes them in the same pass).
public protocol ByteObserver: AnyObject, Sendable {
    func observe(_ bytes: UnsafeBufferPointer<UInt8>)
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
