import Foundation

/// Runs `work` on `jobs` threads and hands the results to `consume` on the calling thread in
/// input order. At most `window` results wait ahead of the consumer, so memory stays flat
/// however many inputs there are.
enum OrderedWorkers {
    static func run<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], jobs: Int, window: Int,
        work: @escaping @Sendable (Input) -> Output,
        consume: (Int, Output) throws -> Void
    ) throws {
        guard !inputs.isEmpty else { return }
        let state = SharedState<Output>(count: inputs.count)
        let group = DispatchGroup()
        let workers = max(1, min(jobs, inputs.count))
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let index = state.claim(window: window) {
                    state.deliver(index, work(inputs[index]))
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            state.cancel()
            group.wait()
        }
        for index in inputs.indices {
            let output = state.take(index)
            try consume(index, output)
        }
    }

    private final class SharedState<Output>: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Int: Output] = [:]
        private var next = 0
        private var consumed = 0
        private var cancelled = false
        private let count: Int

        init(count: Int) { self.count = count }

        func claim(window: Int) -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled && next < count && next - consumed >= window { condition.wait() }
            guard !cancelled, next < count else { return nil }
            next += 1
            return next - 1
        }

        func deliver(_ index: Int, _ output: Output) {
            condition.lock()
            results[index] = output
            condition.broadcast()
            condition.unlock()
        }

        func take(_ index: Int) -> Output {
            condition.lock()
            defer { condition.unlock() }
            while results[index] == nil { condition.wait() }
            consumed = index + 1
            condition.broadcast()
            return results.removeValue(forKey: index)!
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
