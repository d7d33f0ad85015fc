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

/// A bounded hand-off of prepared input chunks from the reading thread to the parsing thread.
final class ChunkPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var closed = false
    private var cancelled = false
    private(set) var error: Error?
    private let capacity = 8

    func put(_ chunk: [UInt8]) {
        condition.lock()
        while chunks.count >= capacity && !cancelled { condition.wait() }
        if !cancelled { chunks.append(chunk) }
        condition.signal()
        condition.unlock()
    }

    func close(_ error: Error?) {
        condition.lock()
        self.error = error
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gave up: unblock the reader.
    func cancel() {
        condition.lock()
        cancelled = true
        chunks.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    func take() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !closed { condition.wait() }
        guard !chunks.isEmpty else { return nil }
        let chunk = chunks.removeFirst()
        condition.signal()
        return chunk
    }
}
