import ArgumentParser
import Foundation
import VendorRisk

/// Where the project's files are: `--home`, else `$VENDOR_RISK_HOME`, else the current folder.
struct HomeOptions: ParsableArguments {
    @Option(help: "The project folder holding Feeds/ and Output/ (default: $VENDOR_RISK_HOME, else the current folder).")
    var home: String?

    var folder: String {
        home ?? ProcessInfo.processInfo.environment["VENDOR_RISK_HOME"] ?? FileManager.default.currentDirectoryPath
    }

    func path(_ relative: String) -> String { (folder as NSString).appendingPathComponent(relative) }

    /// A path given on the command line is taken as given; a default lives under the home.
    func resolve(_ given: String?, default relative: String) -> String { given ?? path(relative) }

    /// `--rules FILE`, else `Feeds/rules.yml` under the home if present, else the built-in set.
    func rules(_ given: String?) throws -> RuleSet {
        if let given { return try loadRules(given) }
        let shipped = path("Feeds/rules.yml")
        return try loadRules(FileManager.default.fileExists(atPath: shipped) ? shipped : nil)
    }

    func model(_ rules: RuleSet) throws -> ScoringModel {
        do { return try ScoringModel(rules: rules) } catch { throw badInput(error) }
    }
}

/// `--as-of` in the contract's format (any W3C-DTF / RFC 3339 time is accepted).
func parseAsOf(_ text: String?) throws -> Date? {
    guard let text else { return nil }
    guard let date = FeedDate.parse(text) else {
        throw CommandFailure(message: "--as-of: '\(text)' is not a time like 2025-11-01T00:00:00Z", status: 2)
    }
    return date
}

/// The catalogue file's text too: the state remembers the catalogue by its hash.
func loadCatalogueText(_ path: String) throws -> (Catalogue, String) {
    let catalogue = try loadCatalogue(path)
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return (catalogue, text)
}
