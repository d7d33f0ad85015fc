import Crypto
import Foundation

/// What reading one feed gave, before anything is stored.
enum FeedOutcome: Sendable {
    case unchanged
    case read(size: Int?, mtime: Double?, hash: String?, title: String?, itemsRead: Int, newItems: [NewItem], warnings: [String])
    case failed(String)
}

/// Reads one feed and analyses the items the store has not seen: the per-feed work of a run,
/// done on a worker thread with no access to the store.
struct FeedIngest: Sendable {
    let reader: FeedReader
    let analyzer: Analyzer

    func ingest(source: String, previous: FeedState?, known: Set<String>) -> FeedOutcome {
        if source.contains("://") && !source.hasPrefix("file://") {
            return .failed("\(source): fetching http(s) feeds is not available in this build")
        }
        let path = source.hasPrefix("file://") ? String(source.dropFirst("file://".count)) : source
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failed("\(source): cannot read: \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        // Same size and time: hash the bytes to be sure before skipping the parse.
        if let previous, previous.size == size, previous.mtime == mtime, let oldHash = previous.contentHash,
           let data = FileManager.default.contents(atPath: path), Self.sha256(data) == oldHash {
            return .unchanged
        }
        let hasher = StreamHasher()
        var newItems: [NewItem] = []
        var itemsRead = 0
        do {
            let summary = try reader.read(atPath: path, observingBytes: hasher) { item in
                itemsRead += 1
                let id = ItemIdentity.id(source: source, item: item)
                guard !known.contains(id) else { return }
                newItems.append(analyse(item, id: id))
            }
            return .read(size: size, mtime: mtime, hash: hasher.hexDigest(), title: summary.header.title,
                         itemsRead: itemsRead, newItems: newItems, warnings: summary.warnings)
        } catch {
            return .failed("\(error)")
        }
    }

    func analyse(_ item: FeedItem, id: String) -> NewItem {
        let analysis = analyzer.analyze(item)
        let vendors = analyzer.matcher.catalogue.vendors
        return NewItem(
            id: id, contentHash: ItemIdentity.contentHash(item), guid: item.id, link: item.link, title: item.title,
            published: item.published ?? item.updated, summary: item.summary, content: item.content,
            mentions: analysis.mentions.map { (vendors[$0.vendor].name, $0.alias, $0.count) },
            signals: analysis.signals.map {
                StoredSignal(vendor: vendors[$0.vendor].name, category: $0.category, rule: $0.rule, weight: $0.weight, evidence: $0.evidence)
            })
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// Stable identities: an item's id from its feed and guid (or link), its content hash from
/// what it says, so a syndicated copy is recognised as the same story.
enum ItemIdentity {
    static func id(source: String, item: FeedItem) -> String {
        let key = item.id ?? item.link ?? "\(item.title ?? "")\u{1}\(item.published.map(FeedDate.iso8601) ?? "")"
        return hex(SHA256.hash(data: Data("\(source)\n\(key)".utf8))).prefix(32).description
    }

    /// Over the folded text (white space and paragraph breaks do not make a different story).
    static func contentHash(_ item: FeedItem) -> String {
        var hasher = SHA256()
        hasher.update(data: Data((TextFolding.folded(item.title) ?? "").utf8))
        hasher.update(data: Data([0x0A]))
        hasher.update(data: Data((TextFolding.folded(item.content ?? item.summary) ?? "").utf8))
        return String(hex(hasher.finalize()).prefix(32))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SHA-256 of a feed's bytes, fed as they are read.
final class StreamHasher: ByteObserver, @unchecked Sendable {
    private var hasher = SHA256()

    func observe(_ bytes: UnsafeBufferPointer<UInt8>) {
        hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
    }

    func hexDigest() -> String { ItemIdentity.hex(hasher.finalize()) }
}
