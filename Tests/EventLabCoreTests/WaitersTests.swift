@testable import EventLabCore
import Synchronization
import Testing

/// Waiters are kept by partition and group: an append wakes its own partition's waiters, in the
/// order they came, and looks at no other.
@Suite("Waiters")
struct WaitersTests {
    /// Records which callbacks ran, in order.
    final class Calls: Sendable {
        let names = Mutex<[String]>([])
        func callback(_ name: String) -> @Sendable () -> Void { { self.names.withLock { $0.append(name) } } }
    }

    @Test("an append looks only at its own partition's waiters, and wakes those it passed, in order")
    func appendTouchesOnlyItsPartition() {
        var waiters = Waiters()
        let calls = Calls()
        for n in 0..<1000 { _ = waiters.addData(topic: "t", partition: 1, beyond: 0, calls.callback("t1-\(n)")) }
        for n in 0..<1000 { _ = waiters.addData(topic: "other", partition: 0, beyond: 0, calls.callback("other-\(n)")) }
        _ = waiters.addData(topic: "t", partition: 0, beyond: 5, calls.callback("late"))
        _ = waiters.addData(topic: "t", partition: 0, beyond: 0, calls.callback("first"))
        _ = waiters.addData(topic: "t", partition: 0, beyond: 1, calls.callback("second"))
        waiters.takeData(topic: "t", partition: 0, logEndOffset: 2).forEach { $0() }
        #expect(waiters.examined == 3)
        #expect(calls.names.withLock { $0 } == ["first", "second"])
        waiters.takeData(topic: "t", partition: 0, logEndOffset: 6).forEach { $0() }
        #expect(waiters.examined == 1)
        #expect(calls.names.withLock { $0 } == ["first", "second", "late"])
    }

    @Test("a cancelled waiter never fires; a deleted topic wakes all of its partitions' waiters")
    func cancelAndDelete() {
        var waiters = Waiters()
        let calls = Calls()
        let cancelled = waiters.addData(topic: "t", partition: 0, beyond: 0, calls.callback("cancelled"))
        _ = waiters.addData(topic: "t", partition: 1, beyond: 0, calls.callback("p1"))
        _ = waiters.addData(topic: "t", partition: 0, beyond: 0, calls.callback("p0"))
        _ = waiters.addData(topic: "u", partition: 0, beyond: 0, calls.callback("u"))
        waiters.remove(cancelled)
        waiters.takeData(topic: "t").forEach { $0() }
        #expect(calls.names.withLock { $0 } == ["p1", "p0"])
        #expect(waiters.takeData(topic: "t", partition: 0, logEndOffset: 9).isEmpty)
    }

    @Test("a group change looks only at that group's waiters")
    func groupChangeTouchesOnlyItsGroup() {
        var waiters = Waiters()
        let calls = Calls()
        for n in 0..<100 { _ = waiters.addGroup("other", calls.callback("other-\(n)")) }
        let cancelled = waiters.addGroup("g", calls.callback("cancelled"))
        _ = waiters.addGroup("g", calls.callback("g"))
        waiters.remove(cancelled)
        waiters.takeGroup("g").forEach { $0() }
        #expect(waiters.examined == 1)
        #expect(calls.names.withLock { $0 } == ["g"])
        #expect(waiters.takeAllGroups().count == 100)
        #expect(waiters.takeGroup("other").isEmpty)
    }
}
