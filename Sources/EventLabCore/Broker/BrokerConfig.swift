/// Settings of the broker itself, by Kafka's names, fixed when it starts
/// (`eventlab serve --set log.retention.check.interval.ms=200`).
public struct BrokerConfig: Sendable, Equatable {
    /// How often, on the broker clock, retention and compaction check every partition
    /// (Kafka's `log.retention.check.interval.ms`, 5 minutes by default).
    public var logRetentionCheckIntervalMs: Int64 = 300_000
    /// How long the first rebalance of an empty group of network clients waits for more
    /// members to join (Kafka's `group.initial.rebalance.delay.ms`, 3 seconds by default).
    /// Only on the system clock; the REPL's own consumers never wait.
    public var groupInitialRebalanceDelayMs: Int32 = 3_000

    /// The defaults, as Kafka's.
    public init() {}

    /// The names ``set(_:)`` knows, as Kafka spells them.
    public static let names = ["group.initial.rebalance.delay.ms", "log.retention.check.interval.ms"]

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
        switch name {
        case "log.retention.check.interval.ms":
            guard let milliseconds = Int64(value), milliseconds >= 1 else {
                throw BrokerError(.invalidConfig, "log.retention.check.interval.ms is '\(value)': it must be a whole number of milliseconds, at least 1")
            }
            logRetentionCheckIntervalMs = milliseconds
        case "group.initial.rebalance.delay.ms":
            guard let milliseconds = Int32(value), milliseconds >= 0 else {
                throw BrokerError(.invalidConfig, "group.initial.rebalance.delay.ms is '\(value)': it must be a whole number of milliseconds, at least 0")
            }
            groupInitialRebalanceDelayMs = milliseconds
        default:
            throw BrokerError(.invalidConfig, "'\(name)' is not a broker config EventLab knows; known: \(Self.names.joined(separator: ", "))")
        }
    }
}
