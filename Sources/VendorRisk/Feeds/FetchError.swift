/// Why a feed could not be fetched; `description` is one line that names the feed.
public enum FetchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The host name did not resolve.
    case dns(url: String, host: String)
    /// The TLS handshake failed (certificate, protocol, or a server that does not speak TLS).
    case tls(url: String, detail: String)
    /// No connection could be opened (refused, unreachable, connect timeout).
    case connectionFailed(url: String, detail: String)
    /// The connection closed or was reset before the whole response arrived.
    case connectionReset(url: String)
    /// A status that is neither success, redirect, 304 nor a `Retry-After` skip.
    case httpStatus(url: String, status: Int, reason: String)
    /// A redirect led back to a URL already visited.
    case redirectLoop(url: String, target: String)
    /// More redirects than allowed.
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect without a usable `Location` (missing, or to a scheme other than http(s)).
    case badRedirect(url: String, location: String?)
    /// The whole fetch took longer than allowed.
    case deadline(url: String, seconds: Double)
    /// The (decompressed) body passed the size cap.
    case tooLarge(url: String, limit: Int)
    /// The reader refused the body or the file: not XML, not RSS or Atom, empty, unreadable.
    case feed(FeedError)
    /// A scheme other than http, https or file.
    case unsupportedScheme(source: String, scheme: String)
    /// Not a URL the fetcher can request.
    case invalidURL(String)
    /// The fetch was cancelled by its caller.
    case cancelled(url: String)
    /// Anything else the HTTP stack reported.
    case transport(url: String, detail: String)

    /// The feed (URL or path) that the error is about.
    public var source: String {
        switch self {
        case let .dns(url, _), let .tls(url, _), let .connectionFailed(url, _), let .connectionReset(url),
             let .httpStatus(url, _, _), let .redirectLoop(url, _), let .tooManyRedirects(url, _),
             let .badRedirect(url, _), let .deadline(url, _), let .tooLarge(url, _), let .cancelled(url),
             let .transport(url, _):
            url
        case let .feed(error): error.source
        case let .unsupportedScheme(source, _): source
        case let .invalidURL(source): source
        }
    }

    public var description: String {
        switch self {
        case let .dns(url, host): "\(url): DNS lookup of \(host) failed"
        case let .tls(url, detail): "\(url): TLS handshake failed (\(detail))"
        case let .connectionFailed(url, detail): "\(url): cannot connect (\(detail))"
        case let .connectionReset(url): "\(url): connection closed before the whole response arrived"
        case let .httpStatus(url, status, reason): "\(url): HTTP \(status) \(reason)"
        case let .redirectLoop(url, target): "\(url): redirect loop (back to \(target))"
        case let .tooManyRedirects(url, limit): "\(url): more than \(limit) redirects"
        case let .badRedirect(url, location?): "\(url): cannot follow redirect to '\(location)'"
        case let .badRedirect(url, nil): "\(url): redirect without a Location header"
        case let .deadline(url, seconds):
            "\(url): no complete response within \(FetchError.seconds(seconds)) s (the fetch deadline)"
        case let .tooLarge(url, limit):
            "\(url): feed is over the limit of \(limit) bytes (raise --max-feed-bytes to read it)"
        case let .feed(error): error.description
        case let .unsupportedScheme(source, scheme):
            "\(source): unsupported scheme '\(scheme)' (use http, https, file or a path)"
        case let .invalidURL(source): "\(source): not a valid http(s) URL"
        case let .cancelled(url): "\(url): fetch cancelled"
        case let .transport(url, detail): "\(url): \(detail)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

extension FeedError {
    /// The path or URL the error names.
    public var source: String {
        switch self {
        case let .unreadable(path, _), let .tooLarge(path, _, _), let .empty(path), let .notXML(path, _),
             let .notAFeed(path, _):
            path
        }
    }
}
