import EventLabCore
import EventLabTestSupport
import Synchronization
import Testing

/// What ran, in order, with the time each saw.
private final class RunLog: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// A waker tests fire by hand: it keeps each wake-up asked for, in order.
private final class ManualWaker: Waker {
    private let requests = Mutex<[(delay: Int64, body: @Sendable () -> Void)]>([])
    var delays: [Int64] { requests.withLock { $0.map(\.delay) } }
    func wake(_ domain: TimeDomain, afterMilliseconds milliseconds: Int64, _ body: @escaping @Sendable () -> Void) {
        requests.withLock { $0.append((milliseconds, body)) }
    }
    /// Runs wake-up `index` as its timer would.
    func fire(_ index: Int) { requests.withLock { $0[index].body }() }
}

@Suite("Scheduler")
struct SchedulerTests {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour

    @Test("clock advance runs each broker task at its own due time, soonest first, ties in scheduling order")
    func virtualOrdering() throws {
        let clock = LogicalClock()
        let scheduler = Scheduler(clock: clock, timer: ManualTimer(), waker: nil)
        let log = RunLog()
        let start = clock.now()
        for (label, hours) in [("c", 3), ("a", 1), ("b", 2), ("b2", 2)] {
            scheduler.schedule(label, in: .broker, after: Int64(hours) * Self.hour) {
                log.add("\(label)@\((clock.now() - start) / Self.hour)h")
            }
        }
        let runs = try scheduler.advanceClock(by: 150 * 60_000)
        #expect(runs == 3)
        #expect(log.all == ["a@1h", "b@2h", "b2@2h"])
        #expect(clock.now() == start + 150 * 60_000)
        #expect(scheduler.pending(.broker).map(\.label) == ["c"])
    }

    @Test("a century of a five-minute check collapses into one run at its last due time")
    func coalescing() throws {
        let clock = LogicalClock()
        let scheduler = Scheduler(clock: clock, timer: ManualTimer(), waker: nil)
        let log = RunLog()
        let start = clock.now()
        scheduler.schedule("check", in: .broker, after: 300_000, every: 300_000) { log.add("check@\(clock.now() - start)") }
        scheduler.schedule("once", in: .broker, after: Self.day) { log.add("once@\(clock.now() - start)") }
        let target = 36_500 * Self.day + 1_000
        #expect(try scheduler.advanceClock(by: target) == 2)
        #expect(log.all == ["once@\(Self.day)", "check@\(36_500 * Self.day)"])
        #expect(scheduler.pending(.broker).map(\.due) == [start + 36_500 * Self.day + 300_000])
    }

    @Test("work a task schedules inside the advance runs in the same advance, at its own time")
    func scheduledFromWork() throws {
        let clock = LogicalClock()
        let scheduler = Scheduler(clock: clock, timer: ManualTimer(), waker: nil)
        let log = RunLog()
        let start = clock.now()
        scheduler.schedule("first", in: .broker, after: Self.hour) {
            log.add("first@\((clock.now() - start) / Self.hour)h")
            scheduler.schedule("second", in: .broker, after: Self.hour) { log.add("second@\((clock.now() - start) / Self.hour)h") }
        }
        try scheduler.advanceClock(by: Self.day)
        #expect(log.all == ["first@1h", "second@2h"])
    }

    @Test("a cancelled task never runs, and a cancelled repeating task stops")
    func cancellation() throws {
        let clock = LogicalClock()
        let scheduler = Scheduler(clock: clock, timer: ManualTimer(), waker: nil)
        let log = RunLog()
        let once = scheduler.schedule("once", in: .broker, after: Self.hour) { log.add("once") }
        let repeating = scheduler.schedule("repeating", in: .broker, after: Self.hour, every: Self.hour) { log.add("repeating") }
        #expect(scheduler.cancel(once))
        try scheduler.advanceClock(by: Self.hour)
        #expect(scheduler.cancel(repeating))
        #expect(!scheduler.cancel(repeating))
        try scheduler.advanceClock(by: Self.day)
        #expect(log.all == ["repeating"])
        #expect(scheduler.pending(.broker).isEmpty)
    }

    @Test("real-time work runs by the monotonic timer and ignores the broker clock")
    func realTime() throws {
        let timer = ManualTimer()
        let scheduler = Scheduler(clock: LogicalClock(), timer: timer, waker: nil)
        let log = RunLog()
        scheduler.schedule("fetch wait", in: .real, after: 500) { log.add("fetch") }
        try scheduler.advanceClock(by: Self.day)
        #expect(scheduler.runDue(.real) == 0)
        timer.advance(499)
        #expect(scheduler.runDue(.real) == 0)
        timer.advance(1)
        #expect(scheduler.runDue(.real) == 1)
        #expect(log.all == ["fetch"])
    }

    @Test("the scheduler asks its waker for the soonest task only, and a stale wake-up does nothing")
    func arming() {
        let timer = ManualTimer()
        let waker = ManualWaker()
        let scheduler = Scheduler(clock: LogicalClock(), timer: timer, waker: waker)
        let log = RunLog()
        let late = scheduler.schedule("late", in: .real, after: 30) { log.add("late") }
        scheduler.schedule("early", in: .real, after: 10) { log.add("early") }
        scheduler.schedule("later", in: .real, after: 50) { log.add("later") }
        scheduler.schedule("broker work", in: .broker, after: 10) { log.add("broker work") }
        #expect(waker.delays == [30, 10])
        timer.advance(10)
        waker.fire(0)
        #expect(log.all.isEmpty)
        waker.fire(1)
        #expect(log.all == ["early"])
        #expect(waker.delays.last == 20)
        scheduler.cancel(late)
        timer.advance(40)
        waker.fire(2)
        #expect(log.all == ["early", "later"])
    }

    @Test("the Dispatch waker runs real-time work in the background, soonest first")
    func dispatchWaker() {
        let timer = SystemMonotonicTimer()
        let scheduler = Scheduler(clock: LogicalClock(), timer: timer)
        let log = RunLog()
        let done = Mutex(false)
        // Due times from one reading of the timer, so a busy machine pausing this thread between
        // the two calls cannot make "late" the sooner.
        let now = timer.elapsedMilliseconds()
        scheduler.schedule("late", in: .real, at: now + 30) {
            log.add("late")
            done.withLock { $0 = true }
        }
        scheduler.schedule("early", in: .real, at: now + 10) { log.add("early") }
        #expect(waitUntil(seconds: 60) { done.withLock { $0 } })
        #expect(log.all == ["early", "late"])
    }

    @Test("a stopped scheduler forgets its work and takes no more")
    func stop() throws {
        let scheduler = Scheduler(clock: LogicalClock(), timer: ManualTimer(), waker: nil)
        let log = RunLog()
        scheduler.schedule("before", in: .broker, after: 1) { log.add("before") }
        scheduler.stop()
        scheduler.schedule("after", in: .broker, after: 1) { log.add("after") }
        try scheduler.advanceClock(by: Self.hour)
        #expect(log.all.isEmpty)
        #expect(scheduler.pending(.broker).isEmpty)
    }

    @Test("only a logical clock moves, forward and not past 9999")
    func advanceErrors() {
        let system = Scheduler(clock: SystemClock(), timer: ManualTimer(), waker: nil)
        #expect(brokerError { try system.advanceClock(by: 1) }?.code == .invalidRequest)
        let logical = Scheduler(clock: LogicalClock(), timer: ManualTimer(), waker: nil)
        #expect(brokerError { try logical.advanceClock(by: -1) }?.code == .invalidRequest)
        #expect(brokerError { try logical.advanceClock(by: .max) }?.code == .invalidRequest)
    }
}
