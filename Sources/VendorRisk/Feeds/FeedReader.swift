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

    /// Streams the items of the feed at `path` to `onItem`.
    @discardableResult
    public func read(atPath path: String, onItem: @escaping (FeedItem) -> Void) throws -> FeedSummary {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FeedError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FeedError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FeedError.unreadable(path: path, reason: "is a directory") }
        // The size is checked before a byte is read; the stream parser checks again as it reads.
        if Int(info.st_size) > options.maxFeedBytes {
            throw FeedError.tooLarge(path: path, bytes: Int(info.st_size), limit: options.maxFeedBytes)
        }
        if info.st_size == 0 && (info.st_mode & S_IFMT) == S_IFREG { throw FeedError.empty(path: path) }
        let parser = try FeedStreamParser(source: path, options: options, onItem: onItem)
        var chunk = [UInt8](repeating: 0, count: options.chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FeedError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            try chunk.withUnsafeBufferPointer { try parser.consume(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
        return try parser.finish()
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

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif
