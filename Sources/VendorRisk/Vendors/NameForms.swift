import Foundation

/// One way a vendor is written: its name, an alias, a name without its legal form, or a ticker.
public struct NameForm: Sendable, Equatable {
    public enum Kind: String, Sendable { case name, alias, derived, ticker }
    /// How the text must be capitalised for the form to count.
    public enum CaseRule: String, Sendable {
        /// Each word written with a capital in the catalogue needs one in the text.
        case capitalised
        /// An all-capitals abbreviation ("TEL", "AMD"): capitals only.
        case capitalsOnly
    }
    public let text: String
    public let kind: Kind
    public let caseRule: CaseRule
    /// Case-folded words.
    public let words: [String]
    /// For each word: written with a capital in the catalogue.
    public let capitalised: [Bool]
}

/// Derives the forms a vendor is matched by.
public enum NameForms {
    /// Legal forms and holding words that news drops ("Juniper Networks, Inc." → "Juniper Networks").
    static let legalForms: Set<String> = [
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp",
        "plc", "ag", "se", "nv", "bv", "oyj", "sa", "sas", "spa", "gmbh", "kg", "kgaa", "ab", "asa", "as",
        "oy", "pte", "pty", "bhd", "sdn", "kk", "srl", "sarl", "holding", "holdings", "group", "opco",
        "the", "tbk", "jsc", "pjsc", "ojsc", "cv", "nl", "sl", "sal", "lda", "aps", "zrt", "sro",
    ]

    public static func fold(_ s: String) -> String {
        words(of: s).joined(separator: " ")
    }

    static func words(of s: String) -> [String] {
        Tokenizer.tokenize(s).filter { $0.kind == .word }.map(\.folded)
    }

    static func make(_ text: String, kind: NameForm.Kind) -> NameForm? {
        let tokens = Tokenizer.tokenize(text).filter { $0.kind == .word }
        guard !tokens.isEmpty else { return nil }
        // Only a single word can be an acronym: its letters are looked at only then (the
        // Character properties cost more than the rest of a form).
        let acronym = tokens.count == 1 && {
            let letters = text.filter(\.isLetter)
            return !letters.isEmpty && letters.allSatisfy(\.isUppercase) && letters.count <= 5
        }()
        return NameForm(text: text, kind: kind, caseRule: acronym ? .capitalsOnly : .capitalised,
                        words: tokens.map(\.folded), capitalised: tokens.map(\.isCapitalised))
    }

    /// The name without trailing legal forms (and a leading "The"), or nil when nothing is left.
    public static func stripLegalForm(_ name: String) -> String? {
        var current = name
        var changed = false
        while let next = stripOneLegalForm(current) { current = next; changed = true }
        return changed ? current : nil
    }

    /// Removes one trailing legal form ("Kioxia Holdings Corporation" → "Kioxia Holdings"); dotted
    /// forms count as one ("N.V.", "S.A.").
    static func stripOneLegalForm(_ name: String) -> String? {
        var tokens = Tokenizer.tokenize(name)
        func trimPunct() { while let l = tokens.last, l.kind == .punct { tokens.removeLast() } }
        let before = tokens.count
        trimPunct()
        // A dotted abbreviation: single letters separated by dots.
        var k = tokens.count
        var letters = ""
        while k > 0 {
            let t = tokens[k - 1]
            if t.kind == .word, t.text.count == 1 { letters = t.folded + letters; k -= 1 }
            else if t.folded == "." { k -= 1 }
            else { break }
        }
        if letters.count >= 2, legalForms.contains(letters), k > 0 {
            tokens.removeSubrange(k...)
        } else if let last = tokens.last, last.kind == .word, legalForms.contains(last.folded), tokens.count > 1 {
            tokens.removeLast()
        } else if let first = tokens.first, first.folded == "the", tokens.count > 1 {
            tokens.removeFirst()
        } else {
            return nil
        }
        trimPunct()
        guard tokens.count < before, let first = tokens.first, let last = tokens.last,
              tokens.contains(where: { $0.kind == .word }) else { return nil }
        let scalars = Array(name.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first.start..<last.end])
        return String(out)
    }

    /// Every form of a vendor, name first; derived forms repeat nothing already listed.
    public static func forms(for vendor: Vendor) -> [NameForm] {
        var forms: [NameForm] = []
        var seen = Set<String>()
        func add(_ text: String, _ kind: NameForm.Kind) {
            guard let f = make(text, kind: kind) else { return }
            let key = f.words.joined(separator: " ")
            guard seen.insert(key).inserted else { return }
            forms.append(f)
        }
        add(vendor.name, .name)
        for a in vendor.aliases { add(a, .alias) }
        // Derived forms, stripping legal forms one after another ("Kioxia Holdings Corporation" →
        // "Kioxia Holdings" → "Kioxia"); only while more than nothing is left.
        for base in [vendor.name] + vendor.aliases {
            var current = base
            while let stripped = stripOneLegalForm(current), stripped != current {
                add(stripped, .derived)
                current = stripped
            }
        }
        if let t = vendor.ticker, !t.isEmpty {
            forms.append(NameForm(text: t, kind: .ticker, caseRule: .capitalsOnly,
                                  words: [t.uppercased()], capitalised: [true]))
        }
        return forms
    }
}
