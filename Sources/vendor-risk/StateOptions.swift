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
        try loadRules(rulePath(given))
    }

    /// The rule file `rules(_:)` reads; nil for the built-in set.
    func rulePath(_ given: String?) -> String? {
        if let given { return given }
        let shipped = path("Feeds/rules.yml")
        return FileManager.default.fileExists(atPath: shipped) ? shipped : nil
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

/// The catalogue with its file's text (the state remembers the catalogue by its hash); its error
/// is thrown as it is, nothing printed.
func readCatalogueText(_ path: String) throws -> (Catalogue, String) {
    try Catalogue.loadWithText(path: path)
}

/// A value computed on a thread of its own from the moment it is made; `value()` waits for it
/// and throws what the work threw.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            self.result = Result { try work() }
            self.done.signal()
        }
    }

    func value() throws -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}

/// What `report` and `score` read a finished run from: the state, the catalogue (names, tiers)
/// and the rule file (scoring parameters), at a run's as-of.
struct StoredReportOptions: ParsableArguments {
    @OptionGroup var home: HomeOptions
    @Option(help: "The SQLite state file (default Output/state.sqlite).") var state: String?
    @Option(help: "The vendor catalogue CSV (default Feeds/vendors.csv).") var vendors: String?
    @Option(help: "A rule file, for the scoring parameters (default Feeds/rules.yml, else built-in).") var rules: String?
    @Option(name: .customLong("as-of"), help: "At this time (default: the latest run's).") var asOf: String?

    func catalogue() throws -> Catalogue {
        try loadCatalogue(home.resolve(vendors, default: "Feeds/vendors.csv"))
    }

    /// The ranked report as the state holds it; exits 2 when no run is stored.
    func report(catalogue: Catalogue) throws -> RunReport {
        let model = try home.model(try home.rules(rules))
        let store = try openExistingState(home.resolve(state, default: "Output/state.sqlite"))
        let asOf = try parseAsOf(self.asOf)
        guard let report = try store.read({ try StateReport.build($0, asOf: asOf, model: model, catalogue: catalogue) }) else {
            throw CommandFailure(message: StoreError.noRun(path: store.path).description, status: 2)
        }
        return report
    }
}

/// Opens a state file that must already exist (reading never creates one).
func openExistingState(_ path: String) throws -> StateStore {
    guard path == ":memory:" || FileManager.default.fileExists(atPath: path) else {
        throw CommandFailure(message: "\(path): no state file; run `vendor-risk run` first", status: 2)
    }
    do { return try StateStore(path: path) } catch { throw CommandFailure(message: error.description, status: 1) }
}
