import CLibXML2
import Foundation

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

    /// The `xmlUrl` of every `outline`, in document order. Read with libxml2 (network and
    /// entity loading off, like feeds), strictly: a broken OPML is a configuration error.
    private static func opml(_ data: Data, path: String) throws(FeedListError) -> [String] {
        LibXML.initializeOnce()
        guard let ctxt = xmlNewParserCtxt() else { throw FeedListError(file: path, line: nil, message: "cannot create a parser") }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc = data.withUnsafeBytes { raw in
            xmlCtxtReadMemory(ctxt, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), path, nil, options)
        }
        defer { if let doc { xmlFreeDoc(doc) } }
        guard let doc, ctxt.pointee.wellFormed != 0 else {
            let error = ctxt.pointee.lastError
            var message = error.message.map { String(cString: $0) } ?? "not well-formed"
            while message.last?.isWhitespace == true { message.removeLast() }
            throw FeedListError(file: path, line: max(1, Int(error.line)), message: "not valid OPML: \(message)")
        }
        guard let root = xmlDocGetRootElement(doc), name(root) == "opml" else {
            throw FeedListError(file: path, line: 1, message: "not an OPML document (no <opml> element)")
        }
        var urls: [String] = []
        var stack: [xmlNodePtr] = [root]
        while let node = stack.popLast() {
            if node.pointee.type == XML_ELEMENT_NODE, name(node) == "outline" {
                for attribute in ["xmlUrl", "xmlurl"] {
                    if let value = xmlGetProp(node, attribute) {
                        let url = String(cString: value).trimmingCharacters(in: .whitespaces)
                        cxml_free(value)
                        if !url.isEmpty { urls.append(url); break }
                    }
                }
            }
            var children: [xmlNodePtr] = []
            var child = node.pointee.children
            while let c = child { children.append(c); child = c.pointee.next }
            stack.append(contentsOf: children.reversed())
        }
        if urls.isEmpty { throw FeedListError(file: path, line: nil, message: "no outline with an xmlUrl") }
        return urls
    }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }
}

/// A feed list that cannot be used: `file:line: message`.
public struct FeedListError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
