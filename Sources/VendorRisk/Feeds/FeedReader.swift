// TEMPORARY stand-in for the lead's libxml2 SAX2 reader (issue 3), only so that the analyzer can be
// evaluated before it lands. Replace with main's FeedReader.swift at merge time; do not extend.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

public struct FeedReaderOptions: Sendable {
    public init() {}
}

public enum FeedReadError: Error, CustomStringConvertible {
    case unreadable(String, String)
    public var description: String {
        switch self {
        case let .unreadable(path, why): "\(path): cannot read feed: \(why)"
        }
    }
}

public struct FeedReader: Sendable {
    public init(options: FeedReaderOptions = .init()) {}

    public func readFeed(atPath path: String) throws -> Feed {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FeedReadError.unreadable(path, "no such file")
        }
        let delegate = TemporaryFeedDelegate()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        _ = parser.parse()
        if delegate.items.isEmpty, let error = parser.parserError {
            throw FeedReadError.unreadable(path, "\(error)")
        }
        return Feed(header: FeedHeader(format: delegate.format), items: delegate.items, warnings: [])
    }
}

private final class TemporaryFeedDelegate: NSObject, XMLParserDelegate {
    var items: [FeedItem] = []
    var format: FeedFormat = .rss20
    private var current: FeedItem?
    private var text = ""
    private var bases: [String?] = []
    private var atomLink: (rel: Int, href: String)?
    private var guidIsPermaLink = false
    private var guid: String?
    private var inText = 0

    private func base() -> URL? {
        var url: URL? = nil
        for b in bases { if let b { url = URL(string: b, relativeTo: url)?.absoluteURL ?? url } }
        return url
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        bases.append(attributes["xml:base"] ?? attributes["base"])
        if name == "feed" { format = namespaceURI == "http://purl.org/atom/ns#" ? .atom03 : .atom10 }
        if name == "RDF" { format = .rss10 }
        if name == "item" || name == "entry" {
            current = FeedItem(); atomLink = nil; guid = nil; guidIsPermaLink = false
        }
        if current != nil, name == "link", let href = attributes["href"] {
            let rel = attributes["rel"] ?? "alternate"
            let rank = rel == "alternate" ? 2 : 0
            if rank > (atomLink?.rel ?? -1) {
                let resolved = URL(string: href, relativeTo: base())?.absoluteString ?? href
                atomLink = (rank, resolved)
            }
        }
        if name == "guid" { guidIsPermaLink = (attributes["isPermaLink"] ?? "true") == "true" }
        if inText > 0 { inText += 1; return }
        if ["content", "summary", "description", "encoded"].contains(name) { inText = 1 }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        defer { _ = bases.popLast() }
        if inText > 1 {
            inText -= 1
            if ["p", "div", "li", "h1", "h2", "h3", "h4", "br", "aside"].contains(name) { text += "\n\n" }
            return
        }
        inText = 0
        guard var item = current else { text = ""; return }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "title": item.title = TemporaryHTML.text(value)
        case "link": if !value.isEmpty, atomLink == nil { item.link = value }
        case "guid": guid = value; if item.id == nil { item.id = value }
        case "id": item.id = value
        case "description", "summary": item.summary = TemporaryHTML.text(value)
        case "encoded", "content": if !value.isEmpty { item.content = TemporaryHTML.text(value) }
        case "item", "entry":
            if let l = atomLink { item.link = l.href }
            if item.link == nil, guidIsPermaLink, let g = guid { item.link = g }
            items.append(item); current = nil; text = ""; return
        default: break
        }
        current = item
        text = ""
    }
}

enum TemporaryHTML {
    static func text(_ s: String) -> String {
        var s = s.replacingOccurrences(of: "\n\n", with: "<p>")
        for _ in 0..<2 where s.contains("<") || s.contains("&") {
            s = s.replacingOccurrences(of: "(?i)<(/?(p|div|li|ul|ol|h[1-6]|aside|section|blockquote|tr|table|br)[^>]*)>",
                                       with: "\n\n", options: .regularExpression)
            s = s.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            s = decodeEntities(s)
        }
        let paragraphs = s.components(separatedBy: "\n\n").map {
            $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }.filter { !$0.isEmpty }
        return paragraphs.joined(separator: "\n\n")
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "rsquo": "\u{2019}", "lsquo": "\u{2018}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
        "mdash": "\u{2014}", "ndash": "\u{2013}", "hellip": "\u{2026}", "eacute": "é", "middot": "·",
        "euro": "€", "copy": "©", "yen": "¥", "pound": "£", "uuml": "ü", "ouml": "ö", "auml": "ä",
    ]

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = String(s[s.index(after: i)..<semi])
                if name.hasPrefix("#") {
                    let num = name.dropFirst()
                    let v = num.lowercased().hasPrefix("x") ? UInt32(num.dropFirst(), radix: 16) : UInt32(num)
                    if let v, let u = Unicode.Scalar(v) { out.unicodeScalars.append(u); i = s.index(after: semi); continue }
                } else if let r = named[name] {
                    out += r; i = s.index(after: semi); continue
                }
            }
            out.append(s[i]); i = s.index(after: i)
        }
        return out
    }
}
