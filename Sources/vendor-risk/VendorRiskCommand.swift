// TEMPORARY entry point for the `analyzer` branch. The lead's VendorRiskCommand.swift on main
// replaces this file at merge; add Analyze, Rules and Vendors to its subcommand list.
import ArgumentParser
import Foundation

@main
struct VendorRiskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendor-risk",
        abstract: "Vendor risk signals from news feeds.",
        subcommands: [Analyze.self, Rules.self, Vendors.self]
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // The contract's usage code is 2, not ArgumentParser's 64.
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
