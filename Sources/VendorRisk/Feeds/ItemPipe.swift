import Foundation

/// A bounded hand-off of raw items from the parsing thread to the assembling thread.
///
/// Batches keep the locking cost per item low; the bound keeps memory flat when the consumer is
/// slower (at most `capacity` batches wait).
final class ItemPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[RawItem]] = []
    private var closed = false
    private var outcome: Result<FeedSummary, Error>?
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    func put(_ batch: [RawItem]) {
        condition.lock()
        while batches.count >= capacity && !closed { condition.wait() }
        if !closed { batches.append(batch) }
        condition.signal()
        condition.unlock()
    }

    /// Ends the stream with the parser's result.
    func close(_ result: Result<FeedSummary, Error>) {
        condition.lock()
        outcome = result
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the producer early (the consumer gave up).
    func cancel() {
        condition.lock()
        closed = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed && outcome == nil
    }

    /// The next batch, or nil when the stream has ended (then `result` is set).
    func take() -> [RawItem]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.signal()
        return batch
    }

    var result: Result<FeedSummary, Error>? {
        condition.lock()
        defer { condition.unlock() }
        return outcome
    }
}
