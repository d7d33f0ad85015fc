import Foundation

extension Array where Element: Sendable {
    /// `map(transform)` worked out in `chunks` contiguous parts on as many threads, in order. For
    /// start-up work that is the same for every element and independent of the others.
    func concurrentMap<T: Sendable>(chunks: Int = ProcessInfo.processInfo.activeProcessorCount,
                                    _ transform: @Sendable (Element) -> T) -> [T] {
        let parts = Swift.max(1, Swift.min(chunks, count / 64))
        guard parts > 1 else { return map(transform) }
        let elements = self
        let count = self.count
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each part initialises its own range of the result: no two threads touch one slot.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for i in (count * part / parts)..<(count * (part + 1) / parts) {
                    (out.baseAddress! + i).initialize(to: transform(elements[i]))
                }
            }
            initialized = count
        }
    }
}
