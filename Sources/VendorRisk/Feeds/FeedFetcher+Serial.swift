import Foundation

extension FeedFetcher {
    /// As `fetch(_:validators:onItem:)`, for a caller whose item handler is not `Sendable` (it
    /// appends to a local array, writes to a buffer). Sound because `fetch` calls `onItem` one
    /// item at a time from a single task and never after it returns, while the caller waits; call
    /// it from nonisolated code (a command's `run()`), not with a closure isolated to an actor.
    public func fetchSerially(_ source: FeedSource, validators: FeedValidators = .init(),
                              onItem: @escaping (FeedItem) -> Void) async throws(FetchError) -> FetchOutcome {
        let relay = SerialRelay(onItem)
        return try await fetch(source, validators: validators, onItem: { relay.send($0) })
    }

    /// Fetches on Swift concurrency and blocks the calling thread until done, for code that runs
    /// on worker threads of its own (never call it from a task: it would hold a pool thread).
    public func fetchBlocking(_ source: FeedSource, validators: FeedValidators = .init(),
                              onItem: @escaping (FeedItem) -> Void) throws(FetchError) -> FetchOutcome {
        let relay = SerialRelay(onItem)
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do throws(FetchError) {
                box.result = .success(try await self.fetch(source, validators: validators, onItem: { relay.send($0) }))
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        guard let result = box.result else { throw .cancelled(url: source.description) }
        return try result.get()
    }
}

extension FeedFetcher {
    /// `shutdown()` for synchronous code (a worker-thread run); never call it from a task.
    @available(*, noasync, message: "use shutdown() from async code")
    public func shutdownBlocking() throws {
        let box = ShutdownBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await self.shutdown() } catch { box.error = error }
            done.signal()
        }
        done.wait()
        if let error = box.error { throw error }
    }
}

/// Written by the shutdown task before the semaphore is signalled, read after the wait.
private final class ShutdownBox: @unchecked Sendable {
    var error: (any Error)?
}

/// Carries a non-Sendable item handler into the fetch task; see `fetchSerially`
/// for why no two threads ever call it at once.
private final class SerialRelay: @unchecked Sendable {
    private let body: (FeedItem) -> Void
    init(_ body: @escaping (FeedItem) -> Void) { self.body = body }
    func send(_ item: FeedItem) { body(item) }
}

/// Written by the fetch task before the semaphore is signalled, read after the wait.
private final class ResultBox: @unchecked Sendable {
    var result: Result<FetchOutcome, FetchError>?
}
