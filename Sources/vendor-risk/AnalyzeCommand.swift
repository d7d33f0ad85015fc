import ArgumentParser
import Foundation
import VendorRisk

enum AnalyzeFormat: String, ExpressibleByArgument, CaseIterable {
    case json, jsonl, text, md
}

/// `vendor-risk analyze FEED... --vendors CSV [--rules FILE] --format json|jsonl|text|md`
struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Map feed items to vendors and find risk signals (no state, no decay).")

    @Argument(help: "Feed files, directories of feeds (read recursively), or http(s) URLs.")
    var feeds: [String]

    @Option(help: "The vendor catalogue (CSV).")
    var vendors: String

    @Option(help: "A rule file to use instead of the built-in rules.")
    var rules: String?

    @Option(help: "json (one feed), jsonl (any number), text or md.")
    var format: AnalyzeFormat = .json

    @Flag(help: "Also list matched cues that were cancelled, and why.")
    var explain = false

    @Flag(help: "Print catalogue build and matching times to standard error.")
    var timings = false

    func validate() throws {
        if format == .json && feeds.count != 1 {
            throw ValidationError("--format json takes exactly one feed; use --format jsonl for several")
        }
    }

    func run() async throws {
        let ruleSet = try loadRules(rules)
        let clock = ContinuousClock()
        let buildStart = clock.now
        let catalogue = try loadCatalogue(vendors)
        let matcher = VendorMatcher(catalogue: catalogue)
        let buildTime = clock.now - buildStart
        let analyzer = Analyzer(rules: ruleSet, matcher: matcher)
        let renderer = AnalysisRenderer(catalogue: catalogue, explain: explain)

        let paths = FeedPaths.expand(feeds)
        if format == .json && paths.count != 1 {
            throw badInput(ValidationError("\(feeds[0]): --format json takes exactly one feed file"))
        }
        try await FeedArguments.with(paths, maxFeedBytes: FeedReaderOptions().maxFeedBytes) { reader in
            try await analyze(paths, reader: reader, analyzer: analyzer, renderer: renderer, catalogue: catalogue,
                              buildTime: buildTime)
        }
    }

    private func analyze(_ paths: [String], reader: FeedArguments, analyzer: Analyzer, renderer: AnalysisRenderer,
                         catalogue: Catalogue, buildTime: Duration) async throws {
        let clock = ContinuousClock()
        var failed = 0
        var analysisTime = Duration.zero
        var readTime = Duration.zero
        var matchTime = Duration.zero
        var matchHits = 0
        var itemCount = 0
        var collected: [AnalysedItem] = []
        let out = FileHandle.standardOutput
        for path in paths {
            let readStart = clock.now
            let feed: Feed
            do { feed = try await reader.readFeed(path) } catch {
                printError("vendor-risk: \(error)")
                failed += 1
                continue
            }
            readTime += clock.now - readStart
            let t0 = clock.now
            let analysed = feed.items.map { AnalysedItem(item: $0, analysis: analyzer.analyze($0), source: path) }
            analysisTime += clock.now - t0
            if timings {
                // Matching alone (tokenising and the automaton), timed apart from the rules.
                let m0 = clock.now
                var hits = 0
                for item in feed.items {
                    for text in [item.title, item.summary, item.content] {
                        if let text { hits += analyzer.matcher.mentions(in: text).count }
                    }
                }
                matchTime += clock.now - m0
                matchHits += hits
            }
            itemCount += analysed.count
            switch format {
            case .jsonl:
                var chunk = ""
                for a in analysed { chunk += renderer.jsonLine(a) + "\n" }
                out.write(Data(chunk.utf8))
            default:
                collected.append(contentsOf: analysed)
            }
        }
        switch format {
        case .json: out.write(Data((renderer.json(collected) + "\n").utf8))
        case .text: out.write(Data(renderer.text(collected, markdown: false).utf8))
        case .md: out.write(Data(renderer.text(collected, markdown: true).utf8))
        case .jsonl: break
        }
        if timings {
            func ms(_ d: Duration) -> String {
                String(format: "%.1f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
            }
            printError("timings: vendors \(catalogue.vendors.count), catalogue build \(ms(buildTime)) ms, "
                       + "feeds \(paths.count), items \(itemCount), read \(ms(readTime)) ms, "
                       + "analysis (matching + rules) \(ms(analysisTime)) ms, "
                       + "matching \(ms(matchTime)) ms (\(matchHits) mentions)")
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
