import ArgumentParser
import Foundation
import VendorRisk

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Render the ranked report from the state, without reading any feed.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case md, json, csv }

    @OptionGroup var stored: StoredReportOptions
    @Option(help: "md, json or csv.") var format: Format = .md
    @Option(help: "Only the N highest-ranked vendors.") var top: Int?
    @Option(help: "Write to this file (atomically) instead of standard output.") var out: String?

    func run() throws {
        let report = try stored.report(catalogue: try stored.catalogue())
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
