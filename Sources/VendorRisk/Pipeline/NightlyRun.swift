import Foundation
import Logging

/// Where a run reads and writes, and when it scores.
public struct RunSettings: Sendable {
    public var sources: [String]
    public var statePath: String
    public var outputDirectory: String
    public var asOf: Date
    public var jobs: Int
    public var maxFeedBytes: Int
    /// HTTP requests in flight at once.
    public var fetchConcurrency: Int = 8
    /// Fault injection for the crash-safety test: the process kills itself (SIGKILL) after this
    /// many feeds, inside the run's transaction.
    public var killAfterFeeds: Int?

    public init(sources: [String], statePath: String, outputDirectory: String, asOf: Date, jobs: Int, maxFeedBytes: Int) {
        self.sources = sources
        self.statePath = statePath
        self.outputDirectory = outputDirectory
        self.asOf = asOf
        self.jobs = jobs
        self.maxFeedBytes = maxFeedBytes
    }
}

/// The catalogue and rules a run applies, with the hashes the state remembers them by.
public struct RunInputs: Sendable {
    public var catalogue: Catalogue
    public var catalogueText: String
    public var rules: RuleSet
    public var model: ScoringModel

    public init(catalogue: Catalogue, catalogueText: String, rules: RuleSet, model: ScoringModel) {
        self.catalogue = catalogue
        self.catalogueText = catalogueText
        self.rules = rules
        self.model = model
    }

    var rulesSHA256: String { FeedIngest.sha256(Data(rules.text.utf8)) }
    var catalogueSHA256: String { FeedIngest.sha256(Data(catalogueText.utf8)) }
}

/// The nightly batch: read what is new, analyse it, store it, score at `asOf`, write the reports.
///
/// Everything the run changes in the state happens in one transaction: a crash leaves the state
/// as it was. Reports are written after the commit, atomically.
public final class NightlyRun {
    private let settings: RunSettings
    private let inputs: RunInputs
    private let logger: Logger
    private let progress: (@Sendable (Int, Int) -> Void)?
    /// Held by the run, not by `execute`: the executable ends the process with the run still
    /// alive, rather than taking the analyzer's tables apart one allocation at a time (milliseconds
    /// of a single thread at the end of every night).
    private let analyzer: BuiltOnce<Analyzer>

    public init(settings: RunSettings, inputs: RunInputs, logger: Logger, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.settings = settings
        self.inputs = inputs
        self.logger = logger
        self.progress = progress
        analyzer = BuiltOnce { Analyzer(rules: inputs.rules, matcher: VendorMatcher(catalogue: inputs.catalogue)) }
    }

    /// Runs and writes the reports; returns what they say.
    public func execute() throws -> RunReport {
        let analyzer = self.analyzer
        // Without a state file every feed is parsed: the analyzer (the catalogue's name forms and
        // automata) is built on a thread of its own while the state file is made, instead of by
        // the first worker while the second waits for it. With a state, it is built only if needed.
        if settings.statePath == ":memory:" || !FileManager.default.fileExists(atPath: settings.statePath) {
            DispatchQueue.global().async { _ = analyzer.value }
        }
        let store = try StateStore(path: settings.statePath)
        let (report, markdown, json) = try store.transaction { tx in
            let report = try ingestAndScore(tx, analyzer: analyzer, writeback: store.startWriteback)
            // Rendering is pure: both reports are rendered at once, each on a thread of its own,
            // while SQLite commits, and are written only once that is done.
            let markdown = BuiltOnce { ReportMarkdown.render(report) }
            let json = BuiltOnce { ReportJSON.render(report) }
            DispatchQueue.global().async { _ = markdown.value }
            DispatchQueue.global().async { _ = json.value }
            return (report, markdown, json)
        }
        try write(report, (markdown.value, json.value))
        return report
    }

    /// `writeback` is called every hundred feeds (see `StateStore.startWriteback`).
    private func ingestAndScore(_ tx: StoreTransaction, analyzer: BuiltOnce<Analyzer>, writeback: () -> Void) throws -> RunReport {
        let asOf = settings.asOf
        let inputs = self.inputs
        let windowStart = asOf.addingTimeInterval(-inputs.model.cutoffDays * 86_400)
        try reanalyseIfInputsChanged(tx, analyzer: analyzer, since: windowStart)

        var readerOptions = FeedReaderOptions(maxFeedBytes: settings.maxFeedBytes)
        // Feeds run in parallel already: one thread per feed keeps every core busy.
        if settings.jobs > 1 { readerOptions.pipelineThreshold = Int.max }
        // The store keeps no authors or categories.
        readerOptions.readsBylinesAndCategories = false
        let remote = settings.sources.contains { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        var fetchOptions = FetchOptions(maxFeedBytes: settings.maxFeedBytes)
        fetchOptions.reader.readsBylinesAndCategories = false
        fetchOptions.maxConnectionsPerHost = settings.fetchConcurrency
        let fetcher = remote ? FeedFetcher(options: fetchOptions) : nil
        defer { try? fetcher?.shutdownBlocking() }
        // Fetched items are analysed inside the fetch tasks: the analyzer is built here first, not in
        // a task of the shared pool (and a server rarely answers every feed "not modified").
        if remote { _ = analyzer.value }
        let ingest = FeedIngest(reader: FeedReader(options: readerOptions), analyzer: analyzer, fetcher: fetcher, asOf: asOf)
        let states = try tx.feedStates()
        let jobs = settings.sources.map { (source: $0, previous: states[Array($0.utf8)]) }
        // The ids already stored of each feed read before, which only a feed that is parsed needs:
        // read while the workers start on the feeds (an unchanged one is only hashed; a fetched
        // feed's first item may wait for them in its fetch task, for the few milliseconds). One pass
        // over the index when the run reads most of the stored feeds (the nightly case), else a
        // query per feed.
        let known = Promised<[Int64: KnownItems]>()
        func loadKnown() throws {
            // Workers waiting for the ids must not wait forever when loading them fails.
            defer { known.fulfil([:]) }
            let seen = Set(jobs.compactMap { $0.previous?.id })
            if seen.count * 4 >= states.count {
                known.fulfil(try tx.knownItemIDs(feedIDs: seen))
            } else {
                var byFeed: [Int64: KnownItems] = [:]
                for id in seen { byFeed[id] = try tx.knownItemIDs(feedID: id) }
                known.fulfil(byFeed)
            }
        }
        var run = RunRecord(asOf: asOf, status: "ok", rulesVersion: inputs.rules.version, rulesSHA256: inputs.rulesSHA256,
                            catalogueSHA256: inputs.catalogueSHA256, feedsRead: 0, feedsNotModified: 0, itemsRead: 0,
                            itemsNew: 0, newSignals: 0, failures: [], skips: [])
        let total = jobs.count
        let progress = self.progress
        // Remote feeds wait on the network, not the CPU: they get as many threads as requests in flight.
        let workers = remote ? max(settings.jobs, settings.fetchConcurrency) : settings.jobs
        // The storing thread shares the cores with the workers: while it waits for a core, a window
        // of a few feeds filled up and the workers stopped with it (≈ 12% of two cores idle). Sixteen
        // feeds' results ahead cost a few MB (each holds its items' texts twice: as strings and in
        // the buffer the storing thread binds, `NewItems`).
        try OrderedWorkers.run(jobs, jobs: workers, window: max(16, workers * 8), work: { job in
            ingest.ingest(source: job.source, previous: job.previous) {
                job.previous.map { known.value[$0.id] ?? [] } ?? []
            }
        }, started: loadKnown, consume: { index, outcome in
            let source = jobs[index].source
            switch outcome {
            case let .unchanged(validators):
                run.feedsNotModified += 1
                try tx.recordFeedUnchanged(source, validators: validators)
            case let .skipped(until):
                run.skips.append(FeedSkip(feed: source, until: until))
                try tx.recordFeedSkip(source, until: until)
            case let .read(size, mtime, hash, validators, title, itemsRead, newItems, warnings):
                run.feedsRead += 1
                run.itemsRead += itemsRead
                // A feed seen before has its row id in its state: no lookup by source per feed.
                let feedID = try jobs[index].previous?.id ?? tx.feedID(source)
                run.itemsNew += try tx.insert(newItems, feedID: feedID, firstSeen: asOf)
                try tx.recordFeedRead(feedID: feedID, size: size, mtime: mtime, contentHash: hash,
                                      etag: validators?.etag, lastModified: validators?.lastModified, title: title)
                for w in warnings.prefix(3) { logger.debug("\(source): \(w)") }
            case let .failed(message):
                let streak = try tx.recordFeedFailure(source, error: message)
                run.failures.append(FeedFailure(feed: source, error: message, consecutiveFailures: streak))
                logger.debug("\(message)")
            }
            if index % 100 == 99 { writeback() }
            progress?(index + 1, total)
            if let limit = settings.killAfterFeeds, index + 1 >= limit { kill(getpid(), SIGKILL) }
        })
        if !run.failures.isEmpty { run.status = "partial" }

        let scores = try StateReport.scores(tx, asOf: asOf, model: inputs.model, catalogue: inputs.catalogue)
        run.newSignals = try tx.countSignals(firstFoundAt: asOf)
        let previous = try tx.run(before: asOf)
        let previousScores = try previous.map { try tx.scores(runID: $0.id) } ?? [:]
        try tx.saveRun(run, scores: scores)
        return RunReport(run: run, model: inputs.model, scores: scores, previous: previous, previousScores: previousScores)
    }

    /// A changed catalogue or rule set applies to the stories already stored inside the scoring
    /// window: a vendor added today gets this month's stories.
    private func reanalyseIfInputsChanged(_ tx: StoreTransaction, analyzer: BuiltOnce<Analyzer>, since: Date) throws {
        let key = "\(inputs.rulesSHA256)/\(inputs.catalogueSHA256)"
        defer { try? tx.setAnalysisInput("rules+catalogue", key) }
        guard let previous = try tx.analysisInput("rules+catalogue"), previous != key else { return }
        let ingest = FeedIngest(reader: FeedReader(), analyzer: analyzer)
        let built = analyzer.value
        let asOf = settings.asOf, jobs = settings.jobs
        // Read in batches as the store hands them out (memory stays flat however many items the
        // window holds), analysed on every core, stored in order on this thread.
        var batch: [StoredItem] = []
        var count = 0
        func analyseBatch() throws {
            let items = batch
            batch.removeAll(keepingCapacity: true)
            count += items.count
            try OrderedWorkers.run(Array(items.indices), jobs: jobs, window: max(16, jobs * 8), work: { i in
                ingest.analyse(items[i].feedItem, id: items[i].id, with: built)
            }, consume: { i, analysed in
                try tx.replaceAnalysis(itemKey: items[i].key, contentHash: analysed.contentHash, mentions: analysed.mentions,
                                       signals: analysed.signals, asOf: asOf)
            })
        }
        try tx.forEachItem(since: since) { item in
            batch.append(item)
            if batch.count == 1_024 { try analyseBatch() }
        }
        try analyseBatch()
        logger.info("rules or catalogue changed: analysed \(count) stored items again")
    }

    private func write(_ report: RunReport, _ rendered: (markdown: String, json: String)) throws {
        let day = String(FeedDate.iso8601(report.asOf).prefix(10))
        let reports = (settings.outputDirectory as NSString).appendingPathComponent("reports")
        let (markdown, json) = rendered
        let dayFolder = (reports as NSString).appendingPathComponent(day)
        let latest = (reports as NSString).appendingPathComponent("latest")
        for (name, text) in [("report.md", markdown), ("report.json", json)] {
            let dated = (dayFolder as NSString).appendingPathComponent(name)
            try AtomicFile.write(text, to: dated)
            try AtomicFile.link(dated, to: (latest as NSString).appendingPathComponent(name))
        }
    }
}

/// Reports rebuilt from the state alone (`report`, `score`): no feed is read.
public enum StateReport {
    public static func scores(_ tx: StoreTransaction, asOf: Date, model: ScoringModel, catalogue: Catalogue) throws -> [VendorScore] {
        let windowStart = asOf.addingTimeInterval(-model.cutoffDays * 86_400)
        let tiers = Dictionary(catalogue.vendors.map { ($0.name, $0.tier) }, uniquingKeysWith: { a, _ in a })
        return Scorer.score(try tx.scoringSignals(since: windowStart, asOf: asOf), asOf: asOf, model: model, tiers: tiers)
    }

    /// The report of the stored run at `asOf` (or the latest before it; the latest run when nil).
    public static func build(_ tx: StoreTransaction, asOf: Date?, model: ScoringModel, catalogue: Catalogue) throws -> RunReport? {
        guard var run = try tx.run(atOrBefore: asOf) else { return nil }
        if let asOf { run.asOf = asOf }
        let scores = try scores(tx, asOf: run.asOf, model: model, catalogue: catalogue)
        let previous = try tx.run(before: run.asOf)
        let previousScores = try previous.map { try tx.scores(runID: $0.id) } ?? [:]
        return RunReport(run: run, model: model, scores: scores, previous: previous, previousScores: previousScores)
    }
}
