import Foundation

/// A bounded hand-off between two threads of the pipelined feed reader: raw chunks from the
/// reading thread to the parsing thread, batches of raw items from there to the assembling one.
///
/// The bound keeps memory flat when the consumer is slower (at most `capacity` elements wait).
/// The producer ends the stream with an outcome (the parser's summary, or the error that
/// stopped it); the consumer may cancel, which unblocks and stops the producer.
final class BoundedPipe<Element, Outcome>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Taken elements are set to nil: the taker holds the last reference (`ReturnTray`).
    private var elements: [Element?] = []
    private var head = 0
    private var closed = false
    private var cancelled = false
    private var finalOutcome: Outcome?
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// Waits while the pipe is full; drops `element` once the consumer has cancelled.
    func put(_ element: Element) {
        condition.lock()
        while elements.count - head >= capacity && !cancelled { condition.wait() }
        if !cancelled { elements.append(element) }
        condition.signal()
        condition.unlock()
    }

    /// Ends the stream: `take` returns what is left, then nil.
    func close(_ outcome: Outcome) {
        condition.lock()
        finalOutcome = outcome
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gave up: drops what waits and unblocks the producer.
    func cancel() {
        condition.lock()
        cancelled = true
        elements.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The next element, or nil once the stream is closed and drained, or cancelled.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == elements.count && !closed && !cancelled { condition.wait() }
        guard head < elements.count else { return nil }
        let element = elements[head]
        elements[head] = nil
        head += 1
        if head == elements.count {
            elements.removeAll(keepingCapacity: true)
            head = 0
        }
        condition.signal()
        return element
    }

    /// What the producer closed the stream with (nil while it runs, or when it never closed).
    var outcome: Outcome? {
        condition.lock()
        defer { condition.unlock() }
        return finalOutcome
    }
}

/// Values a thread is done with, handed back to the thread that made them, to be released or
/// reused there: freed by another thread, memory went back through the allocator's slower path
/// (and, with some allocators, stayed held longer: the reader's peak memory grew with the feed).
final class ReturnTray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func give(_ element: consuming Element) {
        lock.lock()
        items.append(element)
        lock.unlock()
    }

    /// One returned value to reuse, if any.
    func takeOne() -> Element? {
        lock.lock()
        defer { lock.unlock() }
        return items.popLast()
    }

    /// Everything returned so far (to release on the calling thread).
    func takeAll() -> [Element] {
        lock.lock()
        defer { lock.unlock() }
        guard !items.isEmpty else { return [] }
        var out: [Element] = []
        swap(&out, &items)
        return out
    }
}
