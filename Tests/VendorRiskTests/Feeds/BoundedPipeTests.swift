import Foundation
import Testing
@testable import VendorRisk

@Suite struct BoundedPipeTests {
    final class Box {}

    /// The pipelined reader hands what a stage is done with back to the stage that made it
    /// (`ReturnTray`): that works only if a taken element is referenced by its taker alone.
    @Test func aTakenElementIsTheTakersAlone() {
        let pipe = BoundedPipe<Box, Bool>(capacity: 4)
        for _ in 0..<3 { pipe.put(Box()) }
        pipe.close(true)
        while var box = pipe.take() {
            #expect(isKnownUniquelyReferenced(&box))
        }
    }

    @Test func aReturnTrayGivesBackWhatItWasGiven() {
        let tray = ReturnTray<[UInt8]>()
        #expect(tray.takeOne() == nil && tray.takeAll().isEmpty)
        tray.give([1])
        tray.give([2, 2])
        #expect(tray.takeOne() == [2, 2])
        tray.give([3])
        #expect(tray.takeAll() == [[1], [3]])
        #expect(tray.takeAll().isEmpty)
    }

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
