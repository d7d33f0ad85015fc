import Crypto
import Foundation

/// What reading one feed gave, before anything is stored.
enum FeedOutcome: Sendable {
    /// Same bytes as last time, or an HTTP 304 (with the validators to keep).
    case unchanged(FeedValidators?)
    case read(size: Int?, mtime: Double?, hash: String?, validators: FeedValidators?, title: String?, itemsRead: Int,
              newItems: NewItems, warnings: [String])
    /// The server asked to come back later (429/503 with Retry-After): not a failure.
    case skipped(until: Date)
    case failed(String)
}

/// Reads one feed and analyses the items the store has not seen: the per-feed work of a run,
/// done on a worker thread with no access to the store.
struct FeedIngest: Sendable {
    let reader: FeedReader
    /// Built when the first changed feed needs it.
    let analyzer: BuiltOnce<Analyzer>
    /// Present when the run has http(s) feeds.
    var fetcher: FeedFetcher?
    var asOf = Date()

    /// `known` gives the ids the store has of the feed's items; it is asked only when the feed
    /// is parsed (an unchanged feed never is) and may wait for the store to have read them.
    func ingest(source: String, previous: FeedState?, known: @escaping () -> KnownItems) -> FeedOutcome {
        let feedSource: FeedSource
        do { feedSource = try FeedSource(source) } catch { return .failed(error.description) }
        switch feedSource {
        case let .file(path): return ingestFile(source: source, path: path, previous: previous, known: known)
        case .http: return ingestURL(source: source, feedSource, previous: previous, known: known)
        }
    }

    /// Conditional GET with the stored validators; a feed the server asked to leave alone until a
    /// later time is not requested before then.
    private func ingestURL(source: String, _ feedSource: FeedSource, previous: FeedState?, known: @escaping () -> KnownItems) -> FeedOutcome {
        if let until = previous?.retryUntil, until > asOf { return .skipped(until: until) }
        guard let fetcher else { return .failed("\(source): no fetcher for http(s) feeds") }
        var newItems = NewItems()
        var itemsRead = 0
        let validators = FeedValidators(etag: previous?.etag, lastModified: previous?.lastModified)
        do {
            var built: Analyzer?
            var knownIDs: KnownItems?
            let outcome = try fetcher.fetchBlocking(feedSource, validators: validators) { item in
                itemsRead += 1
                let id = ItemIdentity.id(source: source, item: item)
                if knownIDs == nil { knownIDs = known() }
                guard !knownIDs!.contains(id) else { return }
                if built == nil { built = analyzer.value }
                newItems.append(analyse(item, id: id, with: built!))
            }
            switch outcome {
            case let .fetched(feed):
                return .read(size: feed.bytes, mtime: nil, hash: nil, validators: feed.validators, title: feed.summary.header.title,
                             itemsRead: itemsRead, newItems: newItems, warnings: feed.summary.warnings)
            case let .notModified(kept): return .unchanged(kept)
            case let .retryLater(until): return .skipped(until: until)
            }
        } catch {
            return .failed(error.description)
        }
    }

    private func ingestFile(source: String, path: String, previous: FeedState?, known: @escaping () -> KnownItems) -> FeedOutcome {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failed("\(source): cannot read: \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        // Same size and time: hash the bytes to be sure before skipping the parse.
        if let previous, previous.size == size, previous.mtime == mtime, let oldHash = previous.contentHash,
           Self.digest(ofFileAt: path) == oldHash {
            return .unchanged(nil)
        }
        let hasher = FileDigest()
        var newItems = NewItems()
        var itemsRead = 0
        let analyzer = self.analyzer.value
        let known = known()
        do {
            let summary = try reader.read(atPath: path, observingBytes: hasher) { item in
                itemsRead += 1
                let id = ItemIdentity.id(source: source, item: item)
                guard !known.contains(id) else { return }
                newItems.append(analyse(item, id: id, with: analyzer))
            }
            return .read(size: size, mtime: mtime, hash: hasher.hexDigest(), validators: nil, title: summary.header.title,
                         itemsRead: itemsRead, newItems: newItems, warnings: summary.warnings)
        } catch {
            return .failed("\(error)")
        }
    }

    func analyse(_ item: FeedItem, id: String, with analyzer: Analyzer) -> NewItem {
        // A summary the content repeats is not stored: analysed again, the item reads the same
        // without it (and a night's state file is a sixth smaller on the benchmark's feeds).
        let summary = Analyzer.summaryRead(item)
        let analysis = analyzer.analyze(item, summaryRead: summary, cancelledCues: false)
        var mentions: [(vendor: String, alias: String, count: Int)] = []
        var signals: [StoredSignal] = []
        // Most items name no vendor: the catalogue (shared by the workers, a retain of its vendor
        // list on a cache line both cores use) is only read for those that do.
        if !analysis.mentions.isEmpty || !analysis.signals.isEmpty {
            let vendors = analyzer.matcher.catalogue.vendors
            mentions = analysis.mentions.map { (vendors[$0.vendor].name, $0.alias, $0.count) }
            signals = analysis.signals.map {
                StoredSignal(vendor: vendors[$0.vendor].name, category: $0.category, rule: $0.rule, weight: $0.weight, evidence: $0.evidence)
            }
        }
        // The content hash (a digest of the whole text) only serves scoring: an item without
        // signals, most of them, goes without (a twentieth of a run's CPU).
        return NewItem(
            id: id, contentHash: analysis.signals.isEmpty ? "" : ItemIdentity.contentHash(item), guid: item.id, link: item.link,
            title: item.title,
            published: item.published ?? item.updated, summary: summary, content: item.content,
            mentions: mentions, signals: signals)
    }

    static func sha256(_ data: Data) -> String {
        ItemIdentity.hex(SHA256.hash(data: data))
    }

    /// The `FileDigest` of a feed file's bytes, read in 64 KiB pieces as the reader reads them: an
    /// unchanged feed of any size costs no more memory than that (it was loaded whole); nil when it
    /// cannot be read (or is empty: no feed).
    static func digest(ofFileAt path: String) -> String? {
        let hasher = FileDigest()
        do {
            try FeedFile(path: path, maxBytes: .max).readChunks(chunkSize: 64 << 10, observer: hasher, cancelled: { false }) { _ in }
        } catch {
            return nil
        }
        return hasher.hexDigest()
    }
}

/// Stable identities: an item's id from its feed and guid (or link), its content hash from
/// what it says, so a syndicated copy is recognised as the same story.
enum ItemIdentity {
    /// The first 32 hex digits of the SHA-256 of `source + "\n" + key`, where the key is the guid,
    /// else the link, else `title + "\u{1}" + published (RFC 3339)`; the parts are fed to the
    /// digest one by one rather than joined into a new string.
    static func id(source: String, item: FeedItem) -> String {
        var hasher = SHA256()
        update(&hasher, source)
        update(&hasher, "\n")
        if let key = item.id ?? item.link {
            update(&hasher, key)
        } else {
            update(&hasher, item.title ?? "")
            update(&hasher, "\u{1}")
            update(&hasher, item.published.map(FeedDate.iso8601) ?? "")
        }
        return hex(hasher.finalize(), digits: 32)
    }

    private static func update(_ hasher: inout SHA256, _ text: String) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// Over the folded text (white space and paragraph breaks do not make a different story):
    /// the digest of `TextFolding.folded(title) + "\n" + TextFolding.folded(content ?? summary)`,
    /// folded on the way into the hasher instead of into new strings.
    static func contentHash(_ item: FeedItem) -> String {
        var hasher = SHA256()
        updateFolded(&hasher, item.title)
        withUnsafeBytes(of: UInt8(0x0A)) { hasher.update(bufferPointer: $0) }
        updateFolded(&hasher, item.content ?? item.summary)
        return hex(hasher.finalize(), digits: 32)
    }

    /// Feeds `TextFolding.folded(text)`'s bytes to `hasher`: the runs between folded white space
    /// are copied whole into one buffer (most of the text; byte by byte cost more than the digest).
    private static func updateFolded(_ hasher: inout SHA256, _ text: String?) {
        guard var text else { return }
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.contains(0x0A) else {
                return hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { out in
                guard let outBase = out.baseAddress else { return }
                var used = 0
                var start = 0  // the first byte not yet copied
                func copy(upTo end: Int) {
                    guard end > start else { return }
                    (outBase + used).update(from: base + start, count: end - start)
                    used += end - start
                }
                // A run of spaces and line feeds folds to one space.
                var lastWasSpace = false
                var i = 0
                while i < bytes.count {
                    // Eight bytes at a time past words and single spaces.
                    if !lastWasSpace, let next = ByteScan.foldableSpace(base, i, bytes.count), next > i {
                        i = next
                        continue
                    }
                    let b = bytes[i]
                    defer { i += 1 }
                    guard b == 0x0A || b == 0x20 else { lastWasSpace = false; continue }
                    if lastWasSpace {
                        copy(upTo: i)
                        start = i + 1
                    } else if b == 0x0A {
                        copy(upTo: i)
                        outBase[used] = 0x20
                        used += 1
                        start = i + 1
                    }
                    lastWasSpace = true
                }
                copy(upTo: bytes.count)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: out[0..<used])))
            }
        }
    }

    /// Lower-case hex of `digest`, or of its first `digits / 2` bytes, read in place and written
    /// straight into the string (a digest's own iterator copies it into an array first: an
    /// allocation per item id and content hash).
    static func hex<D: ContiguousBytes>(_ digest: D, digits: Int = .max) -> String {
        digest.withUnsafeBytes { bytes in
            let count = Swift.min(bytes.count, digits / 2)
            return String(unsafeUninitializedCapacity: count * 2) { out in
                for i in 0..<count {
                    out[2 * i] = hexDigits[Int(bytes[i] >> 4)]
                    out[2 * i + 1] = hexDigits[Int(bytes[i] & 15)]
                }
                return count * 2
            }
        }
    }
    private static let hexDigits = Array("0123456789abcdef".utf8)
}
