import ArgumentParser
import Foundation
import VendorRisk

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One vendor's score, band, change and every contribution, from the state.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, md }

    @Argument(help: "A vendor name or alias (any case).") var vendor: String
    @OptionGroup var home: HomeOptions
    @Option(help: "The SQLite state file (default Output/state.sqlite).") var state: String?
    @Option(help: "The vendor catalogue CSV (default Feeds/vendors.csv).") var vendors: String?
    @Option(help: "A rule file, for the scoring parameters (default Feeds/rules.yml, else built-in).") var rules: String?
    @Option(name: .customLong("as-of"), help: "Score at this time (default: the latest run's).") var asOf: String?
    @Option(help: "text, json or md.") var format: Format = .text

    func run() throws {
        let catalogue = try loadCatalogue(home.resolve(vendors, default: "Feeds/vendors.csv"))
        guard let name = VendorLookup.resolve(vendor, in: catalogue) else {
            let close = VendorLookup.closest(vendor, in: catalogue)
            throw CommandFailure(message: "no vendor named '\(vendor)' in the catalogue; closest: \(close.joined(separator: ", "))", status: 2)
        }
        let model = try home.model(try home.rules(rules))
        let store = try openExistingState(home.resolve(state, default: "Output/state.sqlite"))
        let asOf = try parseAsOf(self.asOf)
        guard let report = try store.read({ try StateReport.build($0, asOf: asOf, model: model, catalogue: catalogue) }) else {
            throw CommandFailure(message: StoreError.noRun(path: store.path).description, status: 2)
        }
        let tier = catalogue.vendors.first { $0.name == name }?.tier ?? .medium
        let ranked = report.vendors.first { $0.score.vendor == name }
            ?? RunReport.RankedVendor(rank: report.vendors.count + 1,
                                      score: VendorScore(vendor: name, tier: tier, raw: 0, score: 0, band: .low, contributions: []),
                                      delta: report.previousAsOf == nil ? nil : 0)
        switch format {
        case .json: Terminal.write(ReportJSON.vendorDocument(ranked))
        case .md, .text: Terminal.write(VendorScoreText.render(ranked, asOf: report.asOf, markdown: format == .md))
        }
        Terminal.flush()
    }
}

/// Opens a state file that must already exist (reading never creates one).
func openExistingState(_ path: String) throws -> StateStore {
    guard path == ":memory:" || FileManager.default.fileExists(atPath: path) else {
        throw CommandFailure(message: "\(path): no state file; run `vendor-risk run` first", status: 2)
    }
    do { return try StateStore(path: path) } catch { throw CommandFailure(message: error.description, status: 1) }
}
