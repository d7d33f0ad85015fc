/// RFC 3986 reference resolution (section 5.2), for `xml:base` and relative links.
///
/// Written out rather than taken from Foundation, whose `URL(string:relativeTo:)` differs between
/// platforms on dot segments and empty references.
public enum URLResolver {
    struct Parts {
        var scheme: Substring?
        var authority: Substring?
        var path: Substring
        var query: Substring?
        var fragment: Substring?
    }

    /// Resolves `reference` against `base`; with no base (or an unparseable one) the reference
    /// is returned unchanged.
    public static func resolve(_ reference: String, against base: String?) -> String {
        let ref = reference.trimmingXMLSpace()
        guard let base, !base.isEmpty else { return ref }
        let r = split(Substring(ref))
        if r.scheme != nil { return recompose(r, path: removeDotSegments(r.path)) }
        let b = split(Substring(base))
        guard b.scheme != nil else {
            // A relative base can only be joined, not made absolute.
            return relativeJoin(r, b, ref: ref)
        }
        var t = Parts(scheme: b.scheme, authority: nil, path: "", query: nil, fragment: r.fragment)
        if r.authority != nil {
            t.authority = r.authority
            t.path = Substring(removeDotSegments(r.path))
            t.query = r.query
        } else {
            t.authority = b.authority
            if r.path.isEmpty {
                t.path = b.path
                t.query = r.query ?? b.query
            } else {
                t.path = Substring(removeDotSegments(r.path.hasPrefix("/") ? r.path : Substring(merge(b, r.path))))
                t.query = r.query
            }
        }
        return recompose(t, path: String(t.path))
    }

    private static func relativeJoin(_ r: Parts, _ b: Parts, ref: String) -> String {
        if r.authority != nil || r.path.hasPrefix("/") { return ref }
        if r.path.isEmpty { return String(b.path) + (r.query.map { "?\($0)" } ?? "") + (r.fragment.map { "#\($0)" } ?? "") }
        let joined = merge(b, r.path)
        var out = removeDotSegments(Substring(joined))
        if !joined.hasPrefix("/"), out.hasPrefix("/") { out.removeFirst() }
        return out + (r.query.map { "?\($0)" } ?? "") + (r.fragment.map { "#\($0)" } ?? "")
    }

    static func split(_ s: Substring) -> Parts {
        var rest = s
        var fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var scheme: Substring?
        if let colon = rest.firstIndex(of: ":"), colon != rest.startIndex {
            let candidate = rest[..<colon]
            if candidate.first!.isASCII, candidate.first!.isLetter,
               candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }),
               !candidate.contains("/") {
                scheme = candidate
                rest = rest[rest.index(after: colon)...]
            }
        }
        var authority: Substring?
        if rest.hasPrefix("//") {
            let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
            let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
            authority = rest[afterSlashes..<end]
            rest = rest[end...]
        }
        return Parts(scheme: scheme, authority: authority, path: rest, query: query, fragment: fragment)
    }

    private static func merge(_ base: Parts, _ path: Substring) -> String {
        if base.authority != nil, base.path.isEmpty { return "/" + path }
        if let slash = base.path.lastIndex(of: "/") { return String(base.path[...slash]) + path }
        return String(path)
    }

    static func removeDotSegments(_ path: Substring) -> String {
        var input = path
        var output: [Substring] = []
        var absolute = false
        if input.hasPrefix("/") { absolute = true }
        let segments = input.split(separator: "/", omittingEmptySubsequences: false)
        input = ""
        var result: [Substring] = []
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            if index == 0 && absolute { continue }
            switch segment {
            case ".":
                if last { result.append("") }
            case "..":
                if !result.isEmpty { result.removeLast() }
                if last { result.append("") }
            default:
                result.append(segment)
            }
        }
        output = result
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }

    private static func recompose(_ p: Parts, path: String) -> String {
        var s = ""
        if let scheme = p.scheme { s += scheme + ":" }
        if let authority = p.authority { s += "//" + authority }
        s += path
        if let query = p.query { s += "?" + query }
        if let fragment = p.fragment { s += "#" + fragment }
        return s
    }
}

extension String {
    func trimmingXMLSpace() -> String {
        let u = utf8
        guard let first = u.firstIndex(where: { !$0.isXMLSpace }) else { return "" }
        let last = u.lastIndex(where: { !$0.isXMLSpace })!
        if first == u.startIndex && last == u.index(before: u.endIndex) { return self }
        return String(self[first...last])
    }
}
