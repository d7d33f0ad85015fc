/// One place in a text where a catalogued vendor is named.
public struct Mention: Sendable, Equatable {
    /// Index of the vendor in the catalogue.
    public let vendor: Int
    /// The catalogue form that matched ("Micron", "Lam Research").
    public let form: String
    /// Token range in the tokenised text.
    public let tokens: Range<Int>
    /// Unicode-scalar offsets in the text.
    public let start: Int
    public let end: Int
}
