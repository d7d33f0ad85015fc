import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The feeds a run reads: from an OPML file, a directory, or a text file with one path or URL
/// a line. Relative paths are relative to the list's own folder, so cron can run from anywhere.
public enum FeedList {
    public static func load(_ path: String) throws(FeedListError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FeedListError(file: path, line: nil, message: "no such file or directory")
        }
        if isDirectory.boolValue {
            let files = FeedPaths.files(in: path)
            if files.isEmpty { throw FeedListError(file: path, line: nil, message: "no feed files (*.xml, *.rss, *.atom, *.rdf) in this folder") }
            return files
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FeedListError(file: path, line: nil, message: "cannot read the feed list")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let lower = path.lowercased()
        let head = String(decoding: data.prefix(512), as: UTF8.self)
        if lower.hasSuffix(".opml") || head.contains("<opml") {
            return try opml(data, path: path).map { resolve($0, in: folder) }
        }
        var sources: [String] = []
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.contains(" ") && !line.contains("://") {
                throw FeedListError(file: path, line: n + 1, message: "expected one path or URL, got '\(line.prefix(60))'")
            }
            sources.append(resolve(line, in: folder))
        }
        if sources.isEmpty { throw FeedListError(file: path, line: nil, message: "the feed list names no feeds") }
        return sources
    }

    static func resolve(_ source: String, in folder: String) -> String {
        if source.contains("://") || source.hasPrefix("/") || folder.isEmpty { return source }
        return (folder as NSString).appendingPathComponent(source)
    }

    private static func opml(_ data: Data, path: String) throws(FeedListError) -> [String] {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let collector = OutlineCollector()
        parser.delegate = collector
        if !parser.parse() {
            let message = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "not well-formed"
            throw FeedListError(file: path, line: max(1, parser.lineNumber), message: "not valid OPML: \(message)")
        }
        if !collector.sawOPML { throw FeedListError(file: path, line: 1, message: "not an OPML document (no <opml> element)") }
        if collector.urls.isEmpty { throw FeedListError(file: path, line: nil, message: "no outline with an xmlUrl") }
        return collector.urls
    }

    private final class OutlineCollector: NSObject, XMLParserDelegate {
        var urls: [String] = []
        var sawOPML = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name.lowercased() == "opml" { sawOPML = true }
            if name == "outline", let url = attributes["xmlUrl"] ?? attributes["xmlurl"], !url.isEmpty {
                urls.append(url.trimmingCharacters(in: .whitespaces))
            }
        }
    }
}

/// A feed list that cannot be used: `file:line: message`.
public struct FeedListError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
