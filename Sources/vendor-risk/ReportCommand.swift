import ArgumentParser
import Foundation
import VendorRisk

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Render the ranked report from the state, without reading any feed.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case md, json, csv }

    @OptionGroup var home: HomeOptions
    @Option(help: "The SQLite state file (default Output/state.sqlite).") var state: String?
    @Option(help: "The vendor catalogue CSV, for tiers (default Feeds/vendors.csv).") var vendors: String?
    @Option(help: "A rule file, for the scoring parameters (default Feeds/rules.yml, else built-in).") var rules: String?
    @Option(name: .customLong("as-of"), help: "Report at this time (default: the latest run's).") var asOf: String?
    @Option(help: "md, json or csv.") var format: Format = .md
    @Option(help: "Only the N highest-ranked vendors.") var top: Int?
    @Option(help: "Write to this file (atomically) instead of standard output.") var out: String?

    func run() throws {
        let catalogue = try loadCatalogue(home.resolve(vendors, default: "Feeds/vendors.csv"))
        let model = try home.model(try home.rules(rules))
        let store = try openExistingState(home.resolve(state, default: "Output/state.sqlite"))
        guard let report = try store.read({ try StateReport.build($0, asOf: try parseAsOf(asOf), model: model, catalogue: catalogue) }) else {
            throw CommandFailure(message: StoreError.noRun(path: store.path).description, status: 2)
        }
        let text: String
        switch format {
        case .md: text = ReportMarkdown.render(report, top: top)
        case .json: text = ReportJSON.render(report, top: top)
        case .csv: text = ReportCSV.render(report, top: top)
        }
        if let out {
            do { try AtomicFile.write(text, to: out) } catch { throw CommandFailure(message: "\(out): cannot write: \(error)", status: 1) }
        } else {
            Terminal.write(text)
            Terminal.flush()
        }
    }
}
