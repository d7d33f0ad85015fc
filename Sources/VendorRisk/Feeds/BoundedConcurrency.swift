/// Runs work on many inputs with a bound on how much is in flight.
public enum BoundedConcurrency {
    /// `transform` applied to every element with at most `limit` running at once; the results
    /// are in the order of `inputs`, whatever order they finish in.
    public static func map<Input: Sendable, Output: Sendable>(
        _ inputs: [Input], limit: Int, _ transform: @escaping @Sendable (Input) async -> Output
    ) async -> [Output] {
        guard !inputs.isEmpty else { return [] }
        return await withTaskGroup(of: (Int, Output).self) { group in
            var results: [Output?] = Array(repeating: nil, count: inputs.count)
            var next = 0
            func start(_ group: inout TaskGroup<(Int, Output)>) {
                let index = next
                let input = inputs[index]
                next += 1
                group.addTask { (index, await transform(input)) }
            }
            for _ in 0..<min(max(1, limit), inputs.count) { start(&group) }
            while let (index, output) = await group.next() {
                results[index] = output
                if next < inputs.count { start(&group) }
            }
            return results.compactMap { $0 }
        }
    }
}
