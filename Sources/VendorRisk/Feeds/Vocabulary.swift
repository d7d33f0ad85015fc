/// The XML vocabularies a feed reader cares about, identified by namespace URI.
enum Vocabulary: Sendable {
    case rss       // no namespace, or one of the RSS 0.9x/1.0/2.0 namespaces
    case atom10
    case atom03
    case rdf
    case dc
    case dcterms
    case content
    case xhtml
    case xml
    case other

    var isAtom: Bool { self == .atom10 || self == .atom03 }

    init(namespace uri: String?) {
        guard var uri, !uri.isEmpty else { self = .rss; return }
        // Feeds in the wild get the case and the trailing slash of namespace URIs wrong.
        uri = uri.lowercased()
        while uri.hasSuffix("/") || uri.hasSuffix("#") { uri.removeLast() }
        switch uri {
        case "http://www.w3.org/2005/atom": self = .atom10
        case "http://purl.org/atom/ns": self = .atom03
        case "http://purl.org/rss/1.0", "http://my.netscape.com/rdf/simple/0.9",
             "http://backend.userland.com/rss2", "http://backend.userland.com/rss",
             "http://blogs.law.harvard.edu/tech/rss", "http://purl.org/net/rss1.1":
            self = .rss
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns": self = .rdf
        case "http://purl.org/dc/elements/1.1", "http://purl.org/dc/elements/1.0": self = .dc
        case "http://purl.org/dc/terms": self = .dcterms
        case "http://purl.org/rss/1.0/modules/content": self = .content
        case "http://www.w3.org/1999/xhtml": self = .xhtml
        case "http://www.w3.org/xml/1998/namespace": self = .xml
        default: self = .other
        }
    }
}

/// One attribute of a start tag, with its value already decoded.
struct XMLAttribute {
    let vocabulary: Vocabulary
    let prefix: String?
    let name: String
    let value: String
}

extension Array where Element == XMLAttribute {
    /// An attribute by local name, with no namespace or the element's own.
    func value(_ name: String) -> String? {
        first(where: { $0.name == name && ($0.prefix == nil || $0.vocabulary != .xml) })?.value
    }
}
