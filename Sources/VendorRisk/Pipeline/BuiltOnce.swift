import Foundation

/// A value built the first time some thread asks for it, and only then: a run whose feeds are all
/// unchanged never needs the analyzer, whose build (name forms, automata) was most of such a run's
/// start-up. Other threads asking meanwhile wait for the one build (a value started on a background
/// thread is waited for the same way).
final class BuiltOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var build: (@Sendable () -> Value)?
    private var built: Value?

    init(_ build: @escaping @Sendable () -> Value) {
        self.build = build
    }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let value = build!()
        built = value
        build = nil
        return value
    }
}
