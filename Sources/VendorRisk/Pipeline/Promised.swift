import Foundation

/// A value one thread hands over later to others that may already be waiting for it: a run's
/// workers start reading feeds (an unchanged feed is only hashed) while the storing thread still
/// loads what the parsing of a changed feed will need.
final class Promised<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var kept: Value?

    /// The first value given is kept; later ones are ignored.
    func fulfil(_ value: Value) {
        condition.lock()
        if kept == nil {
            kept = value
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Waits until the value is given.
    var value: Value {
        condition.lock()
        defer { condition.unlock() }
        while kept == nil { condition.wait() }
        return kept!
    }
}
