import ArgumentParser
import Foundation
import Logging
import VendorRisk

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The nightly batch: read new items, score vendors, write the ranked report.",
        discussion: """
            Exit status: 0 report written and every feed read or unchanged; 3 report written but some feeds \
            failed; 2 bad invocation or configuration (nothing written); 1 the run failed (state unchanged); \
            75 another run holds the lock.
            """
    )

    @OptionGroup var home: HomeOptions
    @Option(help: "An OPML file, a folder of feeds, or a file with one path or URL a line (default Feeds/feeds.opml).")
    var feeds: String?
    @Option(help: "The vendor catalogue CSV (default Feeds/vendors.csv).") var vendors: String?
    @Option(help: "A rule file (default Feeds/rules.yml if present, else the built-in rules).") var rules: String?
    @Option(help: "The SQLite state file, or :memory: (default Output/state.sqlite).") var state: String?
    @Option(help: "Where reports are written (default Output/).") var output: String?
    @Option(name: .customLong("as-of"), help: "The time the run scores at, e.g. 2025-11-01T00:00:00Z (default now).")
    var asOf: String?
    @Option(help: "Feeds parsed in parallel (default: the number of cores).") var jobs: Int?
    @Option(help: "HTTP requests in flight.") var fetchConcurrency: Int = 8
    @Option(help: "Refuse feeds larger than this many bytes.") var maxFeedBytes: Int = 50_000_000
    @Flag(help: "No progress and no summary line (for cron); errors still go to standard error.") var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if fetchConcurrency < 1 { throw ValidationError("--fetch-concurrency must be at least 1") }
        if maxFeedBytes < 1 { throw ValidationError("--max-feed-bytes must be positive") }
    }

    func run() throws {
        let asOf = try parseAsOf(self.asOf) ?? Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        // The catalogue is read on a thread of its own while the rules are read here (a third of
        // an unchanged night's start); a bad file is reported as before, the catalogue's first.
        let cataloguePath = home.resolve(vendors, default: "Feeds/vendors.csv")
        let catalogueLoad = Background { try readCatalogueText(cataloguePath) }
        let rulePath = home.rulePath(rules)
        let ruleLoad = Result { try rulePath.map { try RuleSet.load(path: $0) } ?? RuleSet.builtIn }
        let (catalogue, catalogueText): (Catalogue, String)
        do { (catalogue, catalogueText) = try catalogueLoad.value() } catch { throw badInput(error) }
        let ruleSet: RuleSet
        do { ruleSet = try ruleLoad.get() } catch { throw badInput(error) }
        let model = try home.model(ruleSet)
        let sources: [String]
        do { sources = try FeedList.load(home.resolve(feeds, default: "Feeds/feeds.opml")) } catch { throw badInput(error) }
        let statePath = home.resolve(state, default: "Output/state.sqlite")
        let outputDirectory = home.resolve(output, default: "Output")
        if statePath != ":memory:" {
            try? FileManager.default.createDirectory(atPath: (statePath as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
        }

        let lock: RunLock?
        do { lock = statePath == ":memory:" ? nil : try RunLock(statePath: statePath) } catch {
            throw CommandFailure(message: error.description, status: error.exitStatus)
        }
        defer { withExtendedLifetime(lock) {} }

        var settings = RunSettings(sources: sources, statePath: statePath, outputDirectory: outputDirectory, asOf: asOf,
                                   jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, maxFeedBytes: maxFeedBytes)
        settings.fetchConcurrency = fetchConcurrency
        settings.killAfterFeeds = ProcessInfo.processInfo.environment["VENDOR_RISK_FAULT_KILL_AFTER_FEEDS"].flatMap(Int.init)
        let inputs = RunInputs(catalogue: catalogue, catalogueText: catalogueText, rules: ruleSet, model: model)
        var logger = Logger(label: "vendor-risk")
        logger.logLevel = quiet ? .error : .warning
        let showProgress = !quiet && isatty(2) != 0
        let report: RunReport
        let nightly = NightlyRun(settings: settings, inputs: inputs, logger: logger, progress: showProgress ? Progress.draw : nil)
        do {
            report = try nightly.execute()
        } catch {
            if showProgress { Progress.clear() }
            throw CommandFailure(message: "run failed, state unchanged: \(error)", status: 1)
        }
        if showProgress { Progress.clear() }
        for failure in report.failed { Terminal.error(failure.error) }
        if !quiet {
            let day = String(FeedDate.iso8601(report.asOf).prefix(10))
            let top = report.vendors.first.map { ", top: \($0.score.vendor) \($0.score.score) \($0.score.band.rawValue)" } ?? ""
            Terminal.error("vendor-risk: \(report.feedsRead) feeds read, \(report.feedsNotModified) unchanged, "
                           + "\(report.failed.count) failed; \(report.itemsNew) new items, \(report.newSignals) new signals; "
                           + "\(report.vendors.count) vendors scored\(top); report: "
                           + ((outputDirectory as NSString).appendingPathComponent("reports/\(day)/report.md")))
        }
        // Everything is committed and written: the process ends here, its tables (the analyzer's,
        // the catalogue's, the report's) left to the system rather than freed one by one.
        withExtendedLifetime((nightly, report, inputs, lock)) {
            Foundation.exit(report.failed.isEmpty ? 0 : 3)
        }
    }
}

/// A one-line progress bar on standard error (only when it is a terminal).
enum Progress {
    @Sendable static func draw(_ done: Int, _ total: Int) {
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) feeds".utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
