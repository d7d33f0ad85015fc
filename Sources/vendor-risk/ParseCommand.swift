import ArgumentParser
import VendorRisk

struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Print feeds as the tool understands them.",
        discussion: "json: one feed, the parse contract of interfaces.md. jsonl: one line per item of any number of feeds or directories, with its source. text: for people. A feed is a path, a file:// URL or an http(s) URL (proxies from HTTPS_PROXY, HTTP_PROXY, NO_PROXY)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, jsonl, text }

    @Argument(help: "Feed files, directories of feeds, or http(s) URLs.") var feeds: [String]
    @Option(help: "json, jsonl or text.") var format: Format = .json
    @Option(help: "Refuse feeds larger than this many bytes.") var maxFeedBytes: Int = 50_000_000

    func validate() throws {
        if feeds.isEmpty { throw ValidationError("name at least one feed") }
        if format == .json && feeds.count != 1 {
            throw ValidationError("--format json takes exactly one feed; use --format jsonl for several")
        }
        if maxFeedBytes <= 0 { throw ValidationError("--max-feed-bytes must be positive") }
    }

    func run() async throws {
        let sources = format == .json ? feeds : FeedPaths.expand(feeds)
        try await FeedArguments.with(sources, maxFeedBytes: maxFeedBytes) { reader in
            switch format {
            case .json: try await printJSON(sources[0], reader)
            case .jsonl: try await printLines(sources, reader)
            case .text: try await printText(sources, reader)
            }
        }
        Terminal.flush()
    }

    /// Items stream out as they are parsed; the feed object follows them (key order is free).
    private func printJSON(_ path: String, _ reader: FeedArguments) async throws {
        var count = 0
        var w = JSONWriter()
        do {
            let summary = try await reader.read(path) { item in
                w.removeAll()
                FeedJSON.write(item, into: &w)
                Terminal.write(count == 0 ? "{\"items\":[" : ",")
                Terminal.write(bytes: w.bytes)
                count += 1
            }
            w.removeAll()
            w.beginObject()
            w.key("feed"); FeedJSON.write(summary.header, into: &w)
            w.key("warnings"); FeedJSON.write(warnings: summary.warnings, into: &w)
            w.endObject()
            // The tail object's "{" is dropped: it continues the document opened with "items".
            Terminal.write(count == 0 ? "{\"items\":[]," : "],")
            Terminal.write(bytes: Array(w.bytes.dropFirst()))
            Terminal.writeLine("")
        } catch let error as FeedError {
            if count > 0 { Terminal.writeLine("]}") }
            throw CommandFailure(message: error.description, status: 1)
        } catch let error as FetchError {
            if count > 0 { Terminal.writeLine("]}") }
            throw CommandFailure(message: error.description, status: 1)
        }
    }

    private func printLines(_ paths: [String], _ reader: FeedArguments) async throws {
        var failed = 0
        var w = JSONWriter()
        for path in paths {
            do {
                try await reader.read(path) { item in
                    w.removeAll()
                    FeedJSON.write(item, source: path, into: &w)
                    Terminal.write(bytes: w.bytes)
                    Terminal.writeLine("")
                }
            } catch {
                failed += 1
                Terminal.error("\(error)")
            }
        }
        if failed > 0 { throw CommandFailure(message: "\(failed) of \(paths.count) feeds could not be read", status: 1) }
    }

    private func printText(_ paths: [String], _ reader: FeedArguments) async throws {
        var failed = 0
        for path in paths {
            do {
                var lines: [String] = []
                let summary = try await reader.read(path) { item in
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
