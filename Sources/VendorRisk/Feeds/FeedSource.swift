import Foundation

/// Where a feed argument points: a local file or an http(s) URL. Commands, OPML `xmlUrl`s and
/// list files all go through this, so every entry point agrees on what is fetched and what is read.
public enum FeedSource: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A path on this machine (from a path or a `file://` URL).
    case file(path: String)
    /// An `http` or `https` URL, as written.
    case http(url: String)

    /// Classifies `argument`: `http://` and `https://` URLs are fetched, `file://` URLs and
    /// anything without a scheme are paths, another scheme (`ftp://`, `feed://`, …) is an error.
    public init(_ argument: String) throws(FetchError) {
        guard let scheme = FeedSource.scheme(of: argument) else {
            self = .file(path: argument)
            return
        }
        switch scheme.lowercased() {
        case "http", "https":
            guard let url = URL(string: argument), let host = url.host, !host.isEmpty else {
                throw .invalidURL(argument)
            }
            self = .http(url: argument)
        case "file":
            guard let components = URLComponents(string: argument),
                  components.host.map({ $0.isEmpty || $0.lowercased() == "localhost" }) ?? true,
                  !components.path.isEmpty else {
                throw .invalidURL(argument)
            }
            self = .file(path: components.path)
        default:
            throw .unsupportedScheme(source: argument, scheme: scheme)
        }
    }

    public var description: String {
        switch self {
        case let .file(path): path
        case let .http(url): url
        }
    }

    public var isRemote: Bool {
        if case .http = self { return true }
        return false
    }

    /// The scheme of `text` when it is written as a URL (`scheme://…`); nil for a path. A path
    /// may contain a colon (`notes:v2.xml`), so only `://` after a valid scheme makes a URL.
    static func scheme(of text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound]
        guard let first = scheme.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
              scheme.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return nil }
        return String(scheme)
    }
}
