/// Settings of the broker itself, by Kafka's names, fixed when it starts
/// (`eventlab serve --set log.retention.check.interval.ms=200`).
public struct BrokerConfig: Sendable, Equatable {
    /// How often, on the broker clock, retention checks every partition (Kafka's
    /// `log.retention.check.interval.ms`, 5 minutes by default).
    public var logRetentionCheckIntervalMs: Int64 = 300_000
    /// How often, on the broker clock, the log cleaner runs its pass over compacted topics
    /// (Kafka's `log.cleaner.backoff.ms`, 15 seconds by default: how long its threads sleep when
    /// no partition is dirty enough to clean).
    public var logCleanerBackoffMs: Int64 = 15_000
    /// How long the first rebalance of an empty group of network clients waits for more
    /// members to join (Kafka's `group.initial.rebalance.delay.ms`, 3 seconds by default).
    /// Only on the system clock; the REPL's own consumers never wait.
    public var groupInitialRebalanceDelayMs: Int32 = 3_000
    /// How long, on the broker clock, a group with no members keeps its committed offsets:
    /// counted from when its last member left, or for a group that never had members from each
    /// offset's commit (Kafka's `offsets.retention.minutes`, 7 days by default).
    public var offsetsRetentionMinutes: Int64 = 10_080
    /// How often, on the broker clock, expired offsets are removed (Kafka's
    /// `offsets.retention.check.interval.ms`, 10 minutes by default).
    public var offsetsRetentionCheckIntervalMs: Int64 = 600_000

    /// How long, on the broker clock, a follower may go without catching up with its leader
    /// before it leaves the in-sync set (Kafka's `replica.lag.time.max.ms`, 30 seconds since 2.5).
    public var replicaLagTimeMaxMs: Int64 = 30_000
    /// Whether a preferred replica that is back in sync takes the lead again at the next check
    /// (Kafka's `auto.leader.rebalance.enable`).
    public var autoLeaderRebalanceEnable = true
    /// How often, on the broker clock, the controller checks for partitions not led by their
    /// preferred replica (Kafka's `leader.imbalance.check.interval.seconds`, 5 minutes).
    public var leaderImbalanceCheckIntervalSeconds: Int64 = 300
    /// How long a write stays in the page cache before the operating system flushes it, on the
    /// broker clock: what a power loss takes (Linux's `vm.dirty_expire_centisecs`, 30 seconds);
    /// 0 when every batch is synced before it is acknowledged (`--flush batch`).
    public var dirtyExpireMs: Int64 = 30_000

    /// ``offsetsRetentionMinutes`` in milliseconds.
    public var offsetsRetentionMs: Int64 {
        let (milliseconds, overflow) = offsetsRetentionMinutes.multipliedReportingOverflow(by: 60_000)
        return overflow ? .max : milliseconds
    }

    /// The defaults, as Kafka's.
    public init() {}

    /// The names ``set(_:)`` knows, as Kafka spells them.
    public static let names = [
        "auto.leader.rebalance.enable", "group.initial.rebalance.delay.ms", "leader.imbalance.check.interval.seconds", "log.cleaner.backoff.ms",
        "log.retention.check.interval.ms", "offsets.retention.check.interval.ms", "offsets.retention.minutes", "replica.lag.time.max.ms",
    ]

    /// Sets one config from `NAME=VALUE`.
    ///
    /// - Throws: `INVALID_CONFIG` for text without `=`, an unknown name (listing the known
    ///   ones), or a value the config does not allow (saying what it allows).
    public mutating func set(_ assignment: String) throws(BrokerError) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw BrokerError(.invalidConfig, "'\(assignment)' is not NAME=VALUE: e.g. log.retention.check.interval.ms=200")
        }
        let name = String(assignment[..<equals])
        let value = String(assignment[assignment.index(after: equals)...])
        /// `value` as a whole number of `unit`, at least `minimum`.
        func number<T: FixedWidthInteger>(atLeast minimum: T, _ unit: String, _ note: String = "") throws(BrokerError) -> T {
            guard let number = T(value), number >= minimum else {
                throw BrokerError(.invalidConfig, "\(name) is '\(value)': it must be a whole number of \(unit), at least \(minimum)\(note)")
            }
            return number
        }
        switch name {
        case "log.retention.check.interval.ms": logRetentionCheckIntervalMs = try number(atLeast: 1, "milliseconds")
        case "log.cleaner.backoff.ms": logCleanerBackoffMs = try number(atLeast: 1, "milliseconds")
        case "offsets.retention.check.interval.ms": offsetsRetentionCheckIntervalMs = try number(atLeast: 1, "milliseconds")
        case "offsets.retention.minutes":
            offsetsRetentionMinutes = try number(atLeast: 1, "minutes", " (Kafka's default is 10080, 7 days)")
        case "group.initial.rebalance.delay.ms": groupInitialRebalanceDelayMs = try number(atLeast: 0, "milliseconds")
        case "replica.lag.time.max.ms": replicaLagTimeMaxMs = try number(atLeast: 2, "milliseconds")
        case "leader.imbalance.check.interval.seconds": leaderImbalanceCheckIntervalSeconds = try number(atLeast: 1, "seconds")
        case "auto.leader.rebalance.enable":
            guard let enabled = Bool(value.lowercased()) else {
                throw BrokerError(.invalidConfig, "auto.leader.rebalance.enable is '\(value)': give true or false")
            }
            autoLeaderRebalanceEnable = enabled
        default:
            throw BrokerError(.invalidConfig, "'\(name)' is not a broker config EventLab knows; known: \(Self.names.joined(separator: ", "))")
        }
    }
}
