import ArgumentParser
import Foundation
import VendorRisk

@main
struct VendorRiskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendor-risk",
        abstract: "Reads news feeds, maps stories to vendors and ranks vendor risk.",
        version: VendorRiskVersion.current,
        subcommands: [Run.self, Score.self, Report.self, Parse.self, Analyze.self, Rules.self, Vendors.self]
    )

    /// ArgumentParser exits 64 on a usage error; the contract (interfaces.md) says 2.
    static func main() async {
        FeedReader.prepare()
        StateStore.prepareProcess()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            Terminal.error(failure.message)
            Foundation.exit(failure.status)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Terminal.error(message(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// An error the command already explained: one line on stderr and an exit status.
struct CommandFailure: Error {
    let message: String
    let status: Int32
}

extension VendorRiskVersion {
    static let current = VendorRiskInfo.version
}

enum VendorRiskVersion {}
