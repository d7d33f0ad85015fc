/// A risk signal: a rule that fired for a vendor, with the sentence that carried it.
public struct Signal: Sendable, Equatable {
    public let vendor: Int
    public let category: String
    public let rule: String
    public let weight: Double
    public let evidence: String
}

/// A cue that matched but was cancelled, kept for `--explain`.
public struct CancelledCue: Sendable, Equatable {
    public let rule: String
    public let category: String
    public let reason: String
    public let evidence: String
    public let vendors: [Int]
}

/// What the analyzer found in one item.
public struct ItemAnalysis: Sendable {
    public struct VendorMention: Sendable, Equatable {
        public let vendor: Int
        public let alias: String
        public let count: Int
    }
    public let mentions: [VendorMention]
    public let signals: [Signal]
    public let cancelled: [CancelledCue]
}
