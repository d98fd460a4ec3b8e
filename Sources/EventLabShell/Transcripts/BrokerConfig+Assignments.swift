import EventLabCore

extension BrokerConfig {
    /// The configs that differ from Kafka's defaults, as `NAME=VALUE` for `--set` and `% set`.
    var assignments: [String] {
        let defaults = BrokerConfig()
        let values: [(String, String, String)] = [
            ("group.initial.rebalance.delay.ms", "\(groupInitialRebalanceDelayMs)", "\(defaults.groupInitialRebalanceDelayMs)"),
            ("log.cleaner.backoff.ms", "\(logCleanerBackoffMs)", "\(defaults.logCleanerBackoffMs)"),
            ("log.retention.check.interval.ms", "\(logRetentionCheckIntervalMs)", "\(defaults.logRetentionCheckIntervalMs)"),
            ("offsets.retention.check.interval.ms", "\(offsetsRetentionCheckIntervalMs)", "\(defaults.offsetsRetentionCheckIntervalMs)"),
            ("offsets.retention.minutes", "\(offsetsRetentionMinutes)", "\(defaults.offsetsRetentionMinutes)"),
        ]
        return values.filter { $0.1 != $0.2 }.map { "\($0.0)=\($0.1)" }
    }
}
