/// Elapsed time for group session timeouts, in milliseconds from an arbitrary start.
///
/// Real network clients' sessions expire by this timer, never by the broker clock, which a
/// lesson may hold still or move by days.
public protocol MonotonicTimer: Sendable {
    /// Milliseconds since some fixed moment; never goes backwards.
    func elapsedMilliseconds() -> Int64
}

/// Time from the system's monotonic clock.
public struct SystemMonotonicTimer: MonotonicTimer {
    private let origin = ContinuousClock.now

    /// A timer starting now.
    public init() {}

    public func elapsedMilliseconds() -> Int64 {
        let elapsed = origin.duration(to: .now).components
        return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
    }
}
