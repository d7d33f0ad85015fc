import Foundation

/// Runs `work` on `jobs` threads and hands the results to `consume` on the calling thread in
/// input order. At most `window` results wait ahead of the consumer, so memory stays flat
/// however many inputs there are. A result the consumer is done with goes back to the worker
/// that built it to be released. `started` runs on the calling thread once the workers are
/// under way, before the first result is consumed.
enum OrderedWorkers {
    static func run<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], jobs: Int, window: Int,
        work: @escaping @Sendable (Input) -> Output,
        started: () throws -> Void = {},
        consume: (Int, Output) throws -> Void
    ) throws {
        guard !inputs.isEmpty else { return }
        let state = SharedState<Output>(count: inputs.count)
        let group = DispatchGroup()
        let workers = max(1, min(jobs, inputs.count))
        for worker in 0..<workers {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let (index, retired) = state.claim(window: window, worker: worker) {
                    // Results this thread built, used up by the consumer: released here, where
                    // their memory came from (freeing it on the consumer's thread went through the
                    // allocator's locks of another thread's arena, for every string of every item).
                    _ = consume retired
                    state.deliver(index, work(inputs[index]), worker: worker)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            state.cancel()
            group.wait()
            state.drain()
        }
        try started()
        for index in inputs.indices {
            let (output, worker) = state.take(index)
            try consume(index, output)
            state.retire(output, worker: worker)
        }
    }

    private final class SharedState<Output>: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Int: (output: Output, worker: Int)] = [:]
        /// Per worker, the results it built that the consumer is done with.
        private var retired: [Int: [Output]] = [:]
        private var next = 0
        private var consumed = 0
        private var cancelled = false
        private let count: Int

        init(count: Int) { self.count = count }

        /// The next input to work on, with the worker's retired results to release.
        func claim(window: Int, worker: Int) -> (Int, [Output])? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled && next < count && next - consumed >= window { condition.wait() }
            guard !cancelled, next < count else { return nil }
            next += 1
            return (next - 1, retired.removeValue(forKey: worker) ?? [])
        }

        func deliver(_ index: Int, _ output: Output, worker: Int) {
            condition.lock()
            results[index] = (output, worker)
            condition.broadcast()
            condition.unlock()
        }

        func take(_ index: Int) -> (Output, Int) {
            condition.lock()
            defer { condition.unlock() }
            while results[index] == nil { condition.wait() }
            consumed = index + 1
            condition.broadcast()
            return results.removeValue(forKey: index)!
        }

        /// Releases what is left (results after an error, the last retired ones) now, not
        /// whenever the worker threads let go of this state.
        func drain() {
            condition.lock()
            let left = (results, retired)
            results = [:]
            retired = [:]
            condition.unlock()
            withExtendedLifetime(left) {}  // released here, outside the lock
        }

        func retire(_ output: consuming Output, worker: Int) {
            condition.lock()
            retired[worker, default: []].append(output)
            condition.unlock()
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
