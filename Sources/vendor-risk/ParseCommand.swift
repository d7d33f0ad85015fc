import ArgumentParser
import VendorRisk

struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print feeds as the tool understands them.",
        discussion: "json: one feed, the parse contract of interfaces.md. jsonl: one line per item of any number of feeds or directories, with its source. text: for people."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, jsonl, text }

    @Argument(help: "Feed files or directories of feeds.") var feeds: [String]
    @Option(help: "json, jsonl or text.") var format: Format = .json
    @Option(help: "Refuse feeds larger than this many bytes.") var maxFeedBytes: Int = 50_000_000

    func validate() throws {
        if feeds.isEmpty { throw ValidationError("name at least one feed") }
        if format == .json && feeds.count != 1 {
            throw ValidationError("--format json takes exactly one feed; use --format jsonl for several")
        }
        if maxFeedBytes <= 0 { throw ValidationError("--max-feed-bytes must be positive") }
    }

    func run() throws {
        let reader = FeedReader(options: FeedReaderOptions(maxFeedBytes: maxFeedBytes))
        switch format {
        case .json: try printJSON(feeds[0], reader)
        case .jsonl: try printLines(FeedPaths.expand(feeds), reader)
        case .text: try printText(FeedPaths.expand(feeds), reader)
        }
        Terminal.flush()
    }

    /// Items stream out as they are parsed; the feed object follows them (key order is free).
    private func printJSON(_ path: String, _ reader: FeedReader) throws {
        var count = 0
        do {
            let summary = try reader.read(atPath: path) { item in
                Terminal.write(count == 0 ? "{\"items\":[" : ",")
                Terminal.write(FeedJSON.item(item))
                count += 1
            }
            Terminal.write(count == 0 ? "{\"items\":[" : "")
            Terminal.writeLine("],\"feed\":\(FeedJSON.header(summary.header)),\"warnings\":\(FeedJSON.warnings(summary.warnings))}")
        } catch let error as FeedError {
            if count > 0 { Terminal.writeLine("]}") }
            throw CommandFailure(message: error.description, status: 1)
        }
    }

    private func printLines(_ paths: [String], _ reader: FeedReader) throws {
        var failed = 0
        for path in paths {
            do {
                try reader.read(atPath: path) { item in Terminal.writeLine(FeedJSON.item(item, source: path)) }
            } catch {
                failed += 1
                Terminal.error("\(error)")
            }
        }
        if failed > 0 { throw CommandFailure(message: "\(failed) of \(paths.count) feeds could not be read", status: 1) }
    }

    private func printText(_ paths: [String], _ reader: FeedReader) throws {
        var failed = 0
        for path in paths {
            do {
                var lines: [String] = []
                let summary = try reader.read(atPath: path) { item in
                    lines.append(FeedTextRenderer.item(item))
                }
                Terminal.writeLine(FeedTextRenderer.header(summary, source: path))
                for line in lines { Terminal.writeLine(line) }
                for warning in summary.warnings { Terminal.writeLine("  warning: \(warning)") }
                Terminal.writeLine("")
            } catch {
                failed += 1
                Terminal.error("\(error)")
            }
        }
        if failed > 0 { throw CommandFailure(message: "\(failed) of \(paths.count) feeds could not be read", status: 1) }
    }
}
