import Foundation

/// Proxies from the environment, as curl and Go read them: `http_proxy` / `HTTP_PROXY` for http
/// URLs, `https_proxy` / `HTTPS_PROXY` for https, `all_proxy` / `ALL_PROXY` for either, and
/// `no_proxy` / `NO_PROXY` for hosts to reach directly (lowercase wins). Loopback hosts are always
/// reached directly (Go does the same), so local tests never go through a corporate proxy.
public struct ProxySettings: Sendable, Equatable {
    /// One proxy server: `http://[user:pass@]host[:port]` or `socks5://host[:port]`.
    public struct Server: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case http, socks5 }
        public var kind: Kind
        public var host: String
        public var port: Int
        public var username: String?
        public var password: String?

        public init(kind: Kind = .http, host: String, port: Int, username: String? = nil, password: String? = nil) {
            self.kind = kind
            self.host = host
            self.port = port
            self.username = username
            self.password = password
        }

        /// Parses a proxy variable's value; nil when it is empty or unusable. A value without a
        /// scheme is an HTTP proxy; a missing port is 1080, as curl takes it.
        public init?(parsing value: String) {
            var text = value.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            if !text.contains("://") { text = "http://" + text }
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                return nil
            }
            switch components.scheme?.lowercased() {
            case "http", "https": kind = .http
            case "socks5", "socks5h": kind = .socks5
            default: return nil
            }
            self.host = host
            port = components.port ?? 1080
            username = components.user?.removingPercentEncoding
            password = components.password?.removingPercentEncoding
        }
    }

    public var http: Server?
    public var https: Server?
    /// `no_proxy` entries: `*`, host names (matching subdomains too), IP addresses, IPv4 CIDR blocks.
    public var noProxy: [String]

    public init(http: Server? = nil, https: Server? = nil, noProxy: [String] = []) {
        self.http = http
        self.https = https
        self.noProxy = noProxy
    }

    /// No proxy at all.
    public static let none = ProxySettings()

    /// Reads the variables from `environment` (the process's by default).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ProxySettings {
        func value(_ name: String) -> String? {
            for key in [name.lowercased(), name.uppercased()] {
                if let v = environment[key], !v.trimmingCharacters(in: .whitespaces).isEmpty { return v }
            }
            return nil
        }
        let all = value("all_proxy").flatMap(Server.init(parsing:))
        let noProxy = (value("no_proxy") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
        return ProxySettings(http: value("http_proxy").flatMap(Server.init(parsing:)) ?? all,
                             https: value("https_proxy").flatMap(Server.init(parsing:)) ?? all,
                             noProxy: noProxy)
    }

    /// The proxy for a request to `host` over `scheme`, or nil to connect directly.
    public func server(scheme: String, host: String) -> Server? {
        let chosen = scheme.lowercased() == "https" ? https : http
        guard let chosen else { return nil }
        let host = Self.bare(host)
        if Self.isLoopback(host) || bypasses(host) { return nil }
        return chosen
    }

    private func bypasses(_ host: String) -> Bool {
        for raw in noProxy {
            if raw == "*" { return true }
            var entry = Self.bare(raw)
            if entry.contains("/") {
                if Self.ipv4(host, inCIDR: entry) { return true }
                continue
            }
            // "example.com:8080": the port is ignored, as most clients do.
            if let colon = entry.lastIndex(of: ":"), !entry.contains("::"), entry.firstIndex(of: ":") == colon {
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("*.") { entry.removeFirst(2) } else if entry.hasPrefix(".") { entry.removeFirst() }
            if host == entry || host.hasSuffix("." + entry) { return true }
        }
        return false
    }

    /// Lowercased, without IPv6 brackets or a trailing dot.
    private static func bare(_ host: String) -> String {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h.hasSuffix(".") { h.removeLast() }
        return h
    }

    private static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host.hasPrefix("127.")
    }

    private static func ipv4(_ host: String, inCIDR cidr: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
              let network = ipv4Value(String(parts[0])), let address = ipv4Value(host) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
        return address & mask == network & mask
    }

    private static func ipv4Value(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let n = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(n)
        }
        return value
    }
}
