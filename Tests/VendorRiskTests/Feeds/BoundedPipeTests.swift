import Foundation
import Testing
@testable import VendorRisk

@Suite struct BoundedPipeTests {
    @Test func deliversEverythingInOrderThenTheOutcome() {
        let pipe = BoundedPipe<Int, String>(capacity: 3)
        let producer = Thread {
            for i in 0..<1000 { pipe.put(i) }
            pipe.close("done")
        }
        producer.start()
        var got: [Int] = []
        while let i = pipe.take() { got.append(i) }
        #expect(got == Array(0..<1000))
        #expect(pipe.outcome == "done")
    }

    @Test func aFullPipeHoldsTheProducerBack() {
        let pipe = BoundedPipe<Int, Bool>(capacity: 2)
        let put = Counter()
        let producer = Thread {
            for i in 0..<5 {
                pipe.put(i)
                put.increment()
            }
            pipe.close(true)
        }
        producer.start()
        Thread.sleep(forTimeInterval: 0.2)
        // Two wait in the pipe; the third put blocks until the consumer takes one.
        #expect(put.value == 2)
        var got: [Int] = []
        while let i = pipe.take() { got.append(i) }
        #expect(got == [0, 1, 2, 3, 4])
    }

    @Test func cancellingUnblocksTheProducerAndEndsTheStream() {
        let pipe = BoundedPipe<Int, Bool>(capacity: 1)
        let finished = DispatchSemaphore(value: 0)
        let producer = Thread {
            for i in 0..<100 { pipe.put(i) }  // would block forever without the cancel
            finished.signal()
        }
        producer.start()
        #expect(pipe.take() == 0)
        pipe.cancel()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(pipe.isCancelled)
        #expect(pipe.take() == nil)
        #expect(pipe.outcome == nil)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
