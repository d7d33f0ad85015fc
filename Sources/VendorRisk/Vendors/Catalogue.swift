import Foundation
import SwiftCSV

/// The vendor catalogue: vendors in file order plus the names each one is matched by.
public struct Catalogue: Sendable {
    public let vendors: [Vendor]
    /// The source the catalogue was read from, for messages.
    public let source: String

    public init(vendors: [Vendor], source: String = "<catalogue>") throws {
        self.vendors = vendors
        self.source = source
        try Self.checkUnique(vendors, file: source)
    }

    /// Reads a catalogue CSV (header row; columns in any order; unknown columns ignored).
    public static func load(path: String) throws -> Catalogue {
        try loadWithText(path: path).catalogue
    }

    /// The catalogue and the text it was parsed from (a run remembers the catalogue by its hash).
    public static func loadWithText(path: String) throws -> (catalogue: Catalogue, text: String) {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            text = String(decoding: data, as: UTF8.self)
        } catch {
            throw CatalogueError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return (try parse(text, source: path), text)
    }

    /// Parses catalogue CSV text; `source` names the file in error messages.
    public static func parse(_ rawText: String, source: String) throws -> Catalogue {
        var text = rawText
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let csv: CSV<Enumerated>
        do {
            csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw CatalogueError.unreadable(file: source, reason: "\(error)")
        }
        let header = csv.header.map { Trimming.whitespaces($0).lowercased() }
        guard let nameColumn = header.firstIndex(of: "name") else {
            throw CatalogueError.missingColumn("name", file: source)
        }
        func column(_ n: String) -> Int? { header.firstIndex(of: n) }
        let aliasColumn = column("aliases") ?? column("alias")
        let notColumn = column("not")
        let tickerColumn = column("ticker")
        let tierColumn = column("tier")
        let countryColumn = column("country")
        let lines = recordStartLines(text)

        var vendors: [Vendor] = []
        vendors.reserveCapacity(csv.rows.count)
        for (index, row) in csv.rows.enumerated() {
            let line = index + 1 < lines.count ? lines[index + 1] : index + 2
            func cell(_ c: Int?) -> String? {
                guard let c, c < row.count else { return nil }
                let v = Trimming.whitespacesAndNewlines(row[c])
                return v.isEmpty ? nil : v
            }
            if row.allSatisfy({ Trimming.whitespaces($0).isEmpty }) { continue }
            guard let name = cell(nameColumn) else { throw CatalogueError.emptyName(file: source, line: line) }
            var tier = VendorTier.medium
            if let t = cell(tierColumn) {
                guard let parsed = VendorTier(rawValue: t.lowercased()) else {
                    throw CatalogueError.unknownTier(t, file: source, line: line)
                }
                tier = parsed
            }
            vendors.append(Vendor(name: name, aliases: list(cell(aliasColumn)), exclusions: list(cell(notColumn)),
                                  ticker: cell(tickerColumn), tier: tier, country: cell(countryColumn),
                                  line: line))
        }
        return try Catalogue(vendors: vendors, source: source)
    }

    private static func list(_ cell: String?) -> [String] {
        guard let cell else { return [] }
        return cell.split(separator: ";").map { Trimming.whitespaces($0) }.filter { !$0.isEmpty }
    }

    /// The line on which each CSV record starts (quotes may hold line breaks).
    private static func recordStartLines(_ text: String) -> [Int] {
        var starts = [1]
        var line = 1
        var quoted = false
        var atRecordStart = false
        for u in text.utf8 {
            if atRecordStart { starts.append(line); atRecordStart = false }
            if u == UInt8(ascii: "\"") { quoted.toggle() }
            if u == UInt8(ascii: "\n") {
                line += 1
                if !quoted { atRecordStart = true }
            }
        }
        return starts
    }

    /// Names and aliases must stay unique across the catalogue after case-folding.
    private static func checkUnique(_ vendors: [Vendor], file: String) throws {
        var seen: [String: (vendor: Int, line: Int)] = [:]
        seen.reserveCapacity(vendors.count * 3)
        for (i, v) in vendors.enumerated() {
            for form in [v.name] + v.aliases {
                let key = NameForms.fold(form)
                if let first = seen[key] {
                    throw CatalogueError.duplicateName(form, first: vendors[first.vendor].name, firstLine: first.line,
                                                       second: v.name, file: file, line: v.line)
                }
                seen[key] = (i, v.line)
            }
        }
    }

    /// Every form a vendor is matched by, as `vendors check` lists them.
    public func matchForms(of vendor: Vendor) -> [NameForm] {
        NameForms.forms(for: vendor)
    }
}
