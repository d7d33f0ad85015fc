import ArgumentParser
import Foundation
import VendorRisk

/// Prints one line to standard error.
func printError(_ message: String) {
    Terminal.error(message)
}

/// Bad input (a catalogue or rule file that cannot be used) exits 2 with its `file:line:` message.
func badInput(_ error: any Error) -> ExitCode {
    printError("vendor-risk: \(error)")
    return ExitCode(2)
}

/// Loads `--rules FILE` or the built-in rules; exits 2 on a bad file.
func loadRules(_ path: String?) throws -> RuleSet {
    guard let path else { return RuleSet.builtIn }
    do { return try RuleSet.load(path: path) } catch { throw badInput(error) }
}

/// Loads the catalogue; exits 2 on a bad file.
func loadCatalogue(_ path: String) throws -> Catalogue {
    do { return try Catalogue.load(path: path) } catch { throw badInput(error) }
}
