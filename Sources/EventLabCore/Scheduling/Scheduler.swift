import Synchronization

/// The one owner of timed work: what runs when, on which clock.
///
/// The broker and the network server schedule work here (`schedule`, `cancel`); nobody else
/// keeps a timer. Work runs outside the scheduler's lock, on the thread that moves time: the
/// waker's for real time and for a broker clock that is the time of day, `advanceClock` for the
/// logical clock, where each task runs at its own due time, in order.
public final class Scheduler: Sendable {
    /// The broker clock: record timestamps, retention, compaction.
    public let clock: any BrokerClock
    /// Real elapsed time: protocol timers of real clients.
    public let timer: any MonotonicTimer
    private let waker: (any Waker)?
    private let state = Mutex(State())

    private struct State {
        var timetable = Timetable()
        /// Per domain, the wake-up asked for and the timer reading it is for; a later, earlier
        /// task asks again with a new generation, and a wake-up of an old one does nothing.
        var armed: [TimeDomain: (generation: UInt64, at: Int64)] = [:]
        var generation: UInt64 = 0
        var isStopped = false
    }

    /// A scheduler on `clock` and `timer`; `waker` runs due work in the background (nil: only
    /// `runDue` and `advanceClock` run it, as tests do).
    public init(clock: any BrokerClock, timer: any MonotonicTimer, waker: (any Waker)? = DispatchWaker()) {
        self.clock = clock
        self.timer = timer
        self.waker = waker
    }

    /// True when the broker clock is logical: broker work then runs only as `advanceClock` moves it.
    public var isVirtual: Bool { clock is LogicalClock }

    /// The time now in `domain`.
    public func now(_ domain: TimeDomain) -> Int64 {
        domain == .broker ? clock.now() : timer.elapsedMilliseconds()
    }

    /// Runs `work` at `due` in `domain`, and every `period` after if given; a stopped scheduler
    /// ignores it.
    ///
    /// - Returns: an id for ``cancel(_:)``.
    @discardableResult
    public func schedule(
        _ label: String, in domain: TimeDomain, at due: Int64, every period: Int64? = nil,
        _ work: @escaping @Sendable () -> Void
    ) -> TaskID {
        let id = state.withLock { state in
            state.isStopped ? TaskID(rawValue: 0) : state.timetable.add(label, domain: domain, due: due, period: period, work)
        }
        arm(domain)
        return id
    }

    /// Runs `work` `delay` milliseconds from now in `domain`, and every `period` after if given.
    @discardableResult
    public func schedule(
        _ label: String, in domain: TimeDomain, after delay: Int64, every period: Int64? = nil,
        _ work: @escaping @Sendable () -> Void
    ) -> TaskID {
        schedule(label, in: domain, at: now(domain).addingSaturating(max(delay, 0)), every: period, work)
    }

    /// Forgets a task that has not run (a repeating one never runs again).
    ///
    /// - Returns: false if there was nothing to cancel: it ran already, or was cancelled before.
    @discardableResult
    public func cancel(_ id: TaskID) -> Bool {
        state.withLock { $0.timetable.remove(id) }
    }

    /// The tasks waiting in `domain`, soonest first.
    public func pending(_ domain: TimeDomain) -> [ScheduledTask] {
        state.withLock { $0.timetable.pending(domain) }
    }

    /// Cancels every task and ignores new ones: what the broker's owner calls when it closes.
    public func stop() {
        state.withLock { state in
            state.isStopped = true
            state.timetable.removeAll()
        }
    }

    /// Runs every task of `domain` due by now, soonest first. On a logical clock, broker work
    /// due at the current moment runs; the clock does not move.
    ///
    /// - Returns: how many runs there were.
    @discardableResult
    public func runDue(_ domain: TimeDomain) -> Int {
        run(domain, upTo: now(domain)) { _ in }
    }

    /// Moves the logical clock forward by `milliseconds`, running each broker task at its own
    /// due time on the way, in order; a repeating task's missed runs collapse into one, at its
    /// last due time not after the target, so a century passes in one run per task.
    ///
    /// - Returns: how many runs there were.
    /// - Throws: `INVALID_REQUEST` when the broker clock is not logical, for a negative amount,
    ///   or for one that would pass ``LogicalClock/latest``.
    @discardableResult
    public func advanceClock(by milliseconds: Int64) throws(BrokerError) -> Int {
        guard let logical = clock as? LogicalClock else {
            throw BrokerError(.invalidRequest, "the system clock cannot be moved; start with a logical clock to move time by hand")
        }
        let target = try logical.target(after: milliseconds)
        let runs = run(.broker, upTo: target) { at in logical.move(to: at) }
        logical.move(to: target)
        return runs
    }

    /// Runs `domain`'s tasks due up to `target` one at a time, calling `reach` with each one's
    /// time before its work, so work a task schedules for before `target` runs too.
    private func run(_ domain: TimeDomain, upTo target: Int64, reach: (Int64) -> Void) -> Int {
        var runs = 0
        while let (at, work) = state.withLock({ state -> (Int64, @Sendable () -> Void)? in
            guard let (id, at) = state.timetable.next(domain, upTo: target), let work = state.timetable.take(id, at: at) else {
                return nil
            }
            return (at, work)
        }) {
            reach(at)
            work()
            runs += 1
        }
        arm(domain)
        return runs
    }

    /// Asks the waker to call back when `domain`'s soonest task falls due, unless it already
    /// will by then. Broker work on a logical clock waits for `advanceClock` instead.
    private func arm(_ domain: TimeDomain) {
        guard let waker, domain == .real || !isVirtual else { return }
        let request = state.withLock { state -> (generation: UInt64, delay: Int64)? in
            guard !state.isStopped, let due = state.timetable.earliest(domain) else { return nil }
            let delay = max(due.subtractingSaturating(now(domain)), 0)
            let at = timer.elapsedMilliseconds().addingSaturating(delay)
            if let armed = state.armed[domain], armed.at <= at { return nil }
            state.generation += 1
            state.armed[domain] = (state.generation, at)
            return (state.generation, delay)
        }
        guard let request else { return }
        waker.wake(domain, afterMilliseconds: request.delay) { [self] in
            let current = state.withLock { state -> Bool in
                guard state.armed[domain]?.generation == request.generation else { return false }
                state.armed[domain] = nil
                return true
            }
            if current { runDue(domain) }
        }
    }
}
