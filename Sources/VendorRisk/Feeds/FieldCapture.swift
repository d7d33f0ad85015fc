/// The raw text of one field, captured while its element is open and converted to plain text
/// later (`FieldConverter`), possibly on another thread.
struct FieldCapture: Sendable {
    let field: Field
    let mode: TextMode
    /// Depth of the field's own element: the capture ends when that element does.
    let depth: Int
    let base: String?
    let base64: Bool
    private(set) var bytes: [UInt8] = []
    private var cut = false

    init(field: Field, mode: TextMode, depth: Int, base: String?, base64: Bool) {
        self.field = field
        self.mode = mode
        self.depth = depth
        self.base = base
        self.base64 = base64
    }

    /// Appends text; false the first time the field outgrows `limit`.
    mutating func append(_ text: UnsafeBufferPointer<UInt8>, limit: Int) -> Bool {
        if cut { return true }
        let room = limit - bytes.count
        let slice = text.count <= room ? text : UnsafeBufferPointer(rebasing: text[0..<max(0, room)])
        if mode == .xhtml {
            // Inline XHTML arrives as events: its text must be escaped again to be HTML source.
            for b in slice {
                switch b {
                case 0x26: bytes.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])
                case 0x3C: bytes.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])
                default: bytes.append(b)
                }
            }
        } else {
            // An HTML field (a description, a content) arrives in runs of a few hundred bytes and
            // grows to kilobytes: room for that at once, not five reallocations on the way.
            if bytes.capacity == 0, mode == .html, field == .summary || field == .content || field == .dcDescription {
                bytes.reserveCapacity(Swift.max(4096, slice.count))
            }
            // A character reference arrives as a run of its own, one to four bytes: appended as
            // elements (appending a buffer cost a hundred instructions however short it was).
            if slice.count <= 4 {
                for b in slice { bytes.append(b) }
            } else {
                bytes.append(contentsOf: slice)
            }
        }
        if slice.count < text.count { cut = true; return false }
        return true
    }

    /// Child elements inside HTML-bearing fields become tags again, so block structure survives.
    mutating func childStarted(name: String) {
        guard mode == .xhtml || mode == .html, bytes.count < 1 << 24 else { return }
        bytes.append(0x3C)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x3E)
    }

    mutating func childEnded(name: String) {
        guard mode == .xhtml || mode == .html, bytes.count < 1 << 24 else { return }
        bytes.append(contentsOf: [0x3C, 0x2F])
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x3E)
    }
}

/// An item as the SAX pass leaves it: raw field text and the facts read from attributes.
struct RawItem: Sendable {
    var index = 0
    var fields: [FieldCapture] = []
    var guidIsPermaLink = true
    var atomLinks: [String] = []
    var otherLink: String?
    var categories: [String] = []

    var hasSubstance: Bool {
        !atomLinks.isEmpty || fields.contains { $0.field == .title || $0.field == .link }
    }
}

/// An item's fields as they are converted, before precedence rules pick the final values.
struct ItemDraft {
    var id: String?
    var guidIsPermaLink = true
    var guidBase: String?
    var title: String?
    var dcTitle: String?
    var link: String?
    var atomLinks: [String] = []
    var otherLink: String?
    var published: Date?
    var updated: Date?
    var dcDate: Date?
    var rssAuthor: String?
    var dcCreator: String?
    var authorName: String?
    var authorEmail: String?
    var summary: String?
    var dcDescription: String?
    var content: String?
    var categories: [String] = []

    func build() -> FeedItem {
        var link = self.link ?? atomLinks.first
        if link == nil, guidIsPermaLink, let id, Self.looksLikeURL(id) {
            link = URLResolver.resolve(id, against: guidBase)
        }
        if link == nil { link = otherLink }
        return FeedItem(
            id: id,
            title: title ?? dcTitle,
            link: link,
            published: published ?? dcDate,
            updated: updated,
            author: authorName ?? rssAuthor.flatMap(Self.personName) ?? dcCreator.flatMap(Self.personName) ?? authorEmail,
            summary: summary ?? dcDescription,
            content: content,
            categories: categories
        )
    }

    static func looksLikeURL(_ s: String) -> Bool {
        s.hasPrefix("http://") || s.hasPrefix("https://") || s.hasPrefix("/") || s.hasPrefix("ftp://")
    }

    /// "jdoe@example.com (John Doe)", "John Doe (jdoe@example.com)" and
    /// "John Doe <jdoe@example.com>" all name John Doe.
    static func personName(_ s: String) -> String? {
        // Most names hold neither "(" nor "<": found on the bytes, before any Character search.
        guard s.utf8.contains(where: { $0 == 0x28 || $0 == 0x3C }) else { return s }
        if let open = s.firstIndex(of: "("), let close = s.lastIndex(of: ")"), open < close {
            let inner = s[s.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            let outer = (s[..<open] + s[s.index(after: close)...]).trimmingCharacters(in: .whitespaces)
            if inner.contains("@"), !outer.isEmpty, !outer.contains("@") { return outer }
            if !inner.isEmpty, !inner.contains("@") { return inner }
        }
        if let lt = s.firstIndex(of: "<"), s.contains("@") {
            let name = s[..<lt].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { return name }
        }
        return s
    }
}

/// Detects text that is still HTML after one decoding pass.
enum DoubleEscape {
    private static let tags: Set<String> = [
        "p", "br", "a", "b", "i", "em", "strong", "div", "span", "img", "ul", "ol", "li", "h1", "h2",
        "h3", "h4", "blockquote", "table", "tr", "td", "pre", "code", "hr", "font", "u", "sup", "sub",
    ]

    static func looksLikeMarkup(_ text: String) -> Bool {
        let u = Array(text.utf8)
        var i = 0
        while i < u.count {
            if u[i] == 0x3C {
                var j = i + 1
                if j < u.count, u[j] == 0x2F { j += 1 }
                let start = j
                while j < u.count, u[j].isASCIILetter || u[j].isASCIIDigit { j += 1 }
                if j > start, j < u.count, u[j] == 0x3E || u[j] == 0x20 || u[j] == 0x2F,
                   tags.contains(String(decoding: u[start..<j], as: UTF8.self).lowercased()) {
                    return true
                }
            }
            i += 1
        }
        return false
    }
}

import Foundation
