import Foundation
import Testing
@testable import VendorRisk

@Suite struct OrderedWorkersTests {
    /// Counts the outputs alive and remembers on which threads they were released.
    final class Ledger: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var alive = 0
        private(set) var releasedOffMain = 0

        func made() { lock.withLock { alive += 1 } }
        func released(onMain: Bool) {
            lock.withLock {
                alive -= 1
                if !onMain { releasedOffMain += 1 }
            }
        }
    }

    final class Output: Sendable {
        let value: Int
        let ledger: Ledger
        let consumer: pthread_t

        init(_ value: Int, ledger: Ledger, consumer: pthread_t) {
            self.value = value
            self.ledger = ledger
            self.consumer = consumer
            ledger.made()
        }

        deinit { ledger.released(onMain: pthread_equal(pthread_self(), consumer) != 0) }
    }

    @Test("outputs reach the consumer in input order, and every one is released")
    func inOrderAndReleased() throws {
        let ledger = Ledger()
        let consumer = pthread_self()
        var seen: [Int] = []
        let inputs = Array(0..<500)
        try OrderedWorkers.run(inputs, jobs: 3, window: 8, work: { i in
            // Uneven work, so that results finish out of order.
            if i % 7 == 0 { usleep(200) }
            return Output(i * 2, ledger: ledger, consumer: consumer)
        }, consume: { index, output in
            #expect(output.value == index * 2)
            seen.append(index)
        })
        #expect(seen == inputs)
        #expect(ledger.alive == 0)
        // Most are released by the workers that built them (the last few by the consumer).
        #expect(ledger.releasedOffMain > inputs.count / 2)
    }

    @Test("an error from the consumer stops the run and still releases everything")
    func consumerErrorStops() {
        struct Stop: Error {}
        let ledger = Ledger()
        let consumer = pthread_self()
        var consumed = 0
        #expect(throws: Stop.self) {
            try OrderedWorkers.run(Array(0..<200), jobs: 2, window: 4, work: { i in
                Output(i, ledger: ledger, consumer: consumer)
            }, consume: { index, _ in
                consumed += 1
                if index == 20 { throw Stop() }
            })
        }
        #expect(consumed == 21)
        #expect(ledger.alive == 0)
    }
}
