import ArgumentParser
import Foundation
import VendorRisk

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "One vendor's score, band, change and every contribution, from the state.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, md }

    @Argument(help: "A vendor name or alias (any case).") var vendor: String
    @OptionGroup var stored: StoredReportOptions
    @Option(help: "text, json or md.") var format: Format = .text

    func run() throws {
        let catalogue = try stored.catalogue()
        guard let name = VendorLookup.resolve(vendor, in: catalogue) else {
            let close = VendorLookup.closest(vendor, in: catalogue)
            throw CommandFailure(message: "no vendor named '\(vendor)' in the catalogue; closest: \(close.joined(separator: ", "))", status: 2)
        }
        let report = try stored.report(catalogue: catalogue)
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
