import ArgumentParser
import Foundation
import VendorRisk

/// `vendor-risk vendors check CSV`
struct Vendors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendors", abstract: "Work with the vendor catalogue.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Validate a catalogue and list the names each vendor is matched by.")
        @Argument(help: "The vendor catalogue (CSV).") var catalogue: String

        func run() async throws {
            let cat = try loadCatalogue(catalogue)
            for v in cat.vendors {
                print("\(v.name) [\(v.tier.rawValue)\(v.country.map { ", \($0)" } ?? "")] line \(v.line)")
                for f in cat.matchForms(of: v) {
                    let how: String
                    switch (f.kind, f.caseRule) {
                    case (.ticker, _): how = "ticker, in ticker contexts only"
                    case (_, .capitalsOnly): how = "\(f.kind.rawValue), capitals only"
                    case _ where f.words.count == 1: how = "\(f.kind.rawValue), capitalised, as a name only"
                    default: how = f.kind.rawValue
                    }
                    print("    \(f.text)  (\(how))")
                }
                if !v.exclusions.isEmpty { print("    not in: " + v.exclusions.joined(separator: "; ")) }
            }
            print("\(cat.vendors.count) vendors OK")
        }
    }
}
