import Dispatch

/// Calls the scheduler back when its next task falls due: the only part of scheduling that
/// waits on a real clock. Injected, so tests drive time by hand and nothing runs behind them.
public protocol Waker: Sendable {
    /// Calls `body` once, about `milliseconds` from now, off the caller's thread. Calls for one
    /// domain run one at a time, in order.
    func wake(_ domain: TimeDomain, afterMilliseconds milliseconds: Int64, _ body: @escaping @Sendable () -> Void)
}

/// Wakes on Dispatch timers, one serial queue per time domain: a long cleaning on the broker
/// clock never holds back a client's fetch timeout.
public struct DispatchWaker: Waker {
    private let broker = DispatchQueue(label: "eventlab.scheduler.broker")
    private let real = DispatchQueue(label: "eventlab.scheduler.real")

    public init() {}

    public func wake(_ domain: TimeDomain, afterMilliseconds milliseconds: Int64, _ body: @escaping @Sendable () -> Void) {
        // A day is as far as one timer needs to reach: the scheduler re-arms when it fires early.
        let delay = Int(min(max(milliseconds, 0), 86_400_000))
        (domain == .broker ? broker : real).asyncAfter(deadline: .now() + .milliseconds(delay), execute: body)
    }
}
