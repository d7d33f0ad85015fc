import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns what async-http-client and SwiftNIO throw into `FetchError`.
enum FetchErrorMapping {
    /// - Parameter midBody: the response head had arrived, so a closed connection is a truncation.
    static func map(_ error: any Error, url: String, options: FetchOptions, midBody: Bool = false) -> FetchError {
        switch error {
        case let error as FetchError:
            return error
        case let error as FeedError:
            if case .tooLarge = error { return .tooLarge(url: url, limit: options.maxFeedBytes) }
            return .feed(error)
        case is CancellationError:
            return .cancelled(url: url)
        case let error as HTTPClientError:
            return map(error, url: url, options: options)
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return .dns(url: url, host: error.host)
            }
            if let last = error.connectionErrors.last?.error {
                return .connectionFailed(url: url, detail: detail(of: last))
            }
            return .connectionFailed(url: url, detail: "no address for \(error.host)")
        case let error as SocketAddressError:
            if case let .unknown(host, _) = error { return .dns(url: url, host: host) }
            return .connectionFailed(url: url, detail: "\(error)")
        case let error as IOError:
            switch error.errnoCode {
            case ECONNRESET, EPIPE, ECONNABORTED: return .connectionReset(url: url)
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT:
                return .connectionFailed(url: url, detail: detail(of: error))
            default: return .transport(url: url, detail: detail(of: error))
            }
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .connectionFailed(url: url, detail: "connect timed out")
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed: return .connectionReset(url: url)
            default: return .transport(url: url, detail: "\(error)")
            }
        case let error as NIOHTTPDecompression.DecompressionError:
            if case .limit = error { return .tooLarge(url: url, limit: options.maxFeedBytes) }
            return .transport(url: url, detail: "corrupt gzip/deflate body")
        case is NIOHTTPDecompression.ExtraDecompressionError:
            return .transport(url: url, detail: "corrupt or truncated gzip/deflate body")
        case let error as HTTPParserError:
            if midBody, error == .invalidEOFState { return .connectionReset(url: url) }
            return .transport(url: url, detail: "malformed HTTP response (\(error))")
        default:
            // NIOSSL's error types are matched by module rather than imported: swift-nio-ssl is
            // not a direct dependency of the package.
            if String(reflecting: type(of: error)).hasPrefix("NIOSSL.") {
                return .tls(url: url, detail: tlsDetail(error))
            }
            return .transport(url: url, detail: "\(error)")
        }
    }

    private static func map(_ error: HTTPClientError, url: String, options: FetchOptions) -> FetchError {
        switch error {
        case .connectTimeout:
            .connectionFailed(url: url, detail: "connect timed out after \(Int(options.connectTimeout.seconds)) s")
        case .remoteConnectionClosed, .uncleanShutdown, .bodyLengthMismatch:
            .connectionReset(url: url)
        case .deadlineExceeded, .readTimeout:
            .deadline(url: url, seconds: options.deadline.seconds)
        case .tlsHandshakeTimeout:
            .tls(url: url, detail: "handshake timed out")
        case .cancelled:
            .cancelled(url: url)
        case .invalidURL, .emptyHost, .emptyScheme:
            .invalidURL(url)
        case .proxyAuthenticationRequired:
            .connectionFailed(url: url, detail: "the proxy asks for authentication")
        case .invalidProxyResponse, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
            .connectionFailed(url: url, detail: "the proxy refused or did not answer (\(error))")
        default:
            .transport(url: url, detail: "\(error)")
        }
    }

    /// BoringSSL's reason code ("WRONG_VERSION_NUMBER", "CERTIFICATE_VERIFY_FAILED") rather than
    /// the whole nested error with its source path.
    static func tlsDetail(_ error: any Error) -> String {
        let text = "\(error)"
        if let range = text.range(of: "OPENSSL_internal:") {
            let reason = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !reason.isEmpty { return String(reason) }
        }
        return String(text.prefix(160))
    }

    private static func detail(of error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        return "\(error)"
    }
}
