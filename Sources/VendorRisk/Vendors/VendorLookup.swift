/// Finds a catalogue vendor by a name a person typed.
public enum VendorLookup {
    /// The canonical name for a name or alias, compared case-insensitively.
    public static func resolve(_ query: String, in catalogue: Catalogue) -> String? {
        let q = query.trimmingCharacters(in: .whitespaces).lowercased()
        for v in catalogue.vendors where v.name.lowercased() == q || v.aliases.contains(where: { $0.lowercased() == q }) {
            return v.name
        }
        return nil
    }

    /// The catalogue names nearest to `query` (edit distance over names and aliases).
    public static func closest(_ query: String, in catalogue: Catalogue, count: Int = 3) -> [String] {
        let q = Array(query.lowercased())
        let ranked = catalogue.vendors.map { v -> (String, Int) in
            let best = ([v.name] + v.aliases).map { distance(q, Array($0.lowercased())) }.min() ?? Int.max
            return (v.name, best)
        }
        return ranked.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(count).map(\.0)
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
