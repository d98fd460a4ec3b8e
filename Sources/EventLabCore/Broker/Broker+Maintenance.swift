/// What a scheduled cleaning did, per partition that changed.
public struct MaintenanceReport: Sendable {
    /// Partitions that lost segments to retention.
    public var retention: [TopicPartition: RetentionResult]
    /// Partitions that compaction changed.
    public var compaction: [TopicPartition: CompactionResult]
    /// Partitions whose cleaning stopped at damage, with the error naming file and byte. Each is
    /// reported once: scheduled cleaning leaves it alone afterwards (Kafka marks such a
    /// partition uncleanable), while `runRetention` and `runCompaction` still try it when asked.
    public var failures: [TopicPartition: BrokerError] = [:]
}

extension Broker {
    /// Runs retention on every partition of `topic` (or of every topic), now.
    ///
    /// - Returns: what was deleted, per partition that lost segments.
    public func runRetention(topic: String? = nil) throws(BrokerError) -> [TopicPartition: RetentionResult] {
        let now = clock.now()
        return try state.withLock { state throws(BrokerError) in try state.retention(topic: topic, now: now) }
    }

    /// Runs compaction on every partition of `topic` (or of every topic), now.
    ///
    /// - Returns: what changed, per partition that lost records or segments.
    public func runCompaction(topic: String? = nil) throws(BrokerError) -> [TopicPartition: CompactionResult] {
        let now = clock.now()
        return try state.withLock { state throws(BrokerError) in try state.compaction(topic: topic, now: now) }
    }

    /// Runs retention and compaction on every topic if `maintenanceIntervalMs` has passed on the
    /// broker clock since the last scheduled run. Callers run it between commands, never inside
    /// one, so a learner sees cleaning happen at a clear moment.
    ///
    /// - Returns: what it did, or nil if it was not due.
    @discardableResult
    public func runScheduledMaintenance() -> MaintenanceReport? {
        let now = clock.now()
        return state.withLock { state in
            guard now >= state.nextMaintenance else { return nil }
            state.nextMaintenance = now.addingSaturating(maintenanceIntervalMs)
            var report = MaintenanceReport(retention: [:], compaction: [:])
            for (partition, config, log) in state.partitions(of: nil) where state.uncleanable[partition] == nil {
                do throws(BrokerError) {
                    let retention = try Retention.apply(to: log, config: config, now: now)
                    if !retention.deletedSegments.isEmpty { report.retention[partition] = retention }
                    let compaction = try Compaction.apply(to: log, config: config, now: now)
                    if compaction.changed { report.compaction[partition] = compaction }
                } catch {
                    state.uncleanable[partition] = error
                    report.failures[partition] = error
                }
            }
            return report
        }
    }
}

extension BrokerState {
    /// Every partition of `topic`, or of every topic, in order.
    fileprivate func partitions(of topic: TopicName?) -> [(TopicPartition, TopicConfig, PartitionLog)] {
        let names = topic.map { [$0] } ?? topics.keys.sorted()
        return names.flatMap { name in
            let topic = topics[name]!
            return topic.partitions.enumerated().map { (TopicPartition(name.rawValue, Int32($0)), topic.config, $1) }
        }
    }

    func retention(topic: String?, now: Int64) throws(BrokerError) -> [TopicPartition: RetentionResult] {
        var results: [TopicPartition: RetentionResult] = [:]
        for (partition, config, log) in partitions(of: try topic.map { name throws(BrokerError) in try self.topic(name).0 }) {
            let result = try Retention.apply(to: log, config: config, now: now)
            if !result.deletedSegments.isEmpty { results[partition] = result }
        }
        return results
    }

    func compaction(topic: String?, now: Int64) throws(BrokerError) -> [TopicPartition: CompactionResult] {
        var results: [TopicPartition: CompactionResult] = [:]
        for (partition, config, log) in partitions(of: try topic.map { name throws(BrokerError) in try self.topic(name).0 }) {
            let result = try Compaction.apply(to: log, config: config, now: now)
            if result.changed { results[partition] = result }
        }
        return results
    }
}
