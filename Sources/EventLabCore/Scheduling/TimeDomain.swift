/// The two clocks timed work runs on.
///
/// A lesson may hold the broker clock still or move it by years, but a real client's fetch or
/// session must not wait for someone to type `clock advance`: so broker rules and protocol
/// timers keep separate time.
public enum TimeDomain: Hashable, Sendable, CaseIterable {
    /// Broker rules — retention checks, the log cleaner, segment age, offset expiry — on the broker
    /// clock: virtual time on the logical clock (it runs as `clock advance` passes each due
    /// time), the time of day otherwise.
    case broker
    /// Protocol timers of real clients — fetch waits, session and rebalance timeouts — on the
    /// monotonic timer, always real time.
    case real
}

/// Identifies a scheduled task, so it can be cancelled.
public struct TaskID: Hashable, Sendable {
    let rawValue: UInt64
}

/// A task waiting for its time, as `clock` lists it.
public struct ScheduledTask: Hashable, Sendable {
    public let id: TaskID
    /// What the task does, in a few words (`retention check`).
    public let label: String
    public let domain: TimeDomain
    /// When it runs next: broker-clock milliseconds since the epoch, or monotonic-timer milliseconds.
    public let due: Int64
    /// How often it repeats; nil for a task that runs once.
    public let period: Int64?
}
