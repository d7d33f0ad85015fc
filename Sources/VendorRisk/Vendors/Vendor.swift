import Foundation

/// How much the organisation depends on a vendor.
public enum VendorTier: String, Sendable, Codable, CaseIterable {
    case critical, high, medium, low
}

/// One row of the vendor catalogue.
public struct Vendor: Sendable, Equatable {
    public let name: String
    public let aliases: [String]
    public let exclusions: [String]
    public let ticker: String?
    public let tier: VendorTier
    public let country: String?
    /// The line of the catalogue file the vendor was read from (1 is the header).
    public let line: Int

    public init(name: String, aliases: [String] = [], exclusions: [String] = [], ticker: String? = nil,
                tier: VendorTier = .medium, country: String? = nil, line: Int = 0) {
        self.name = name
        self.aliases = aliases
        self.exclusions = exclusions
        self.ticker = ticker
        self.tier = tier
        self.country = country
        self.line = line
    }
}

/// A problem in a vendor catalogue, with the place it was found.
public enum CatalogueError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case missingColumn(String, file: String)
    case emptyName(file: String, line: Int)
    case unknownTier(String, file: String, line: Int)
    case duplicateName(String, first: String, firstLine: Int, second: String, file: String, line: Int)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "\(file):1: cannot read the catalogue: \(reason)"
        case let .missingColumn(column, file):
            "\(file):1: no '\(column)' column in the header; add one (columns: name, aliases, not, ticker, tier, country)"
        case let .emptyName(file, line):
            "\(file):\(line): the name is empty; every vendor needs a name"
        case let .unknownTier(tier, file, line):
            "\(file):\(line): unknown tier '\(tier)'; use critical, high, medium or low"
        case let .duplicateName(name, first, firstLine, second, file, line):
            first == second
                ? "\(file):\(line): '\(name)' is given twice for \(second) (first at line \(firstLine))"
                : "\(file):\(line): '\(name)' of \(second) is already a name of \(first) (line \(firstLine)); names and aliases must be unique"
        }
    }
}
