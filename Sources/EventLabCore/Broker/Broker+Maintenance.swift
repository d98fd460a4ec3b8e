/// What a scheduled cleaning did, per partition that changed.
public struct MaintenanceReport: Sendable {
    /// Partitions that lost segments to retention.
    public var retention: [TopicPartition: RetentionResult]
    /// Partitions that compaction changed.
    public var compaction: [TopicPartition: CompactionResult]
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
    public func runScheduledMaintenance() throws(BrokerError) -> MaintenanceReport? {
        let now = clock.now()
        return try state.withLock { state throws(BrokerError) in
            guard now >= state.nextMaintenance else { return nil }
            let report = MaintenanceReport(
                retention: try state.retention(topic: nil, now: now), compaction: try state.compaction(topic: nil, now: now))
            state.nextMaintenance = now.addingSaturating(maintenanceIntervalMs)
            return report
        }
    }
}

extension BrokerState {
    private func partitions(of topic: String?) throws(BrokerError) -> [(TopicPartition, TopicConfig, PartitionLog)] {
        let names = try topic.map { name throws(BrokerError) in [try self.topic(name).0] } ?? topics.keys.sorted()
        return names.flatMap { name in
            let topic = topics[name]!
            return topic.partitions.enumerated().map { (TopicPartition(name.rawValue, Int32($0)), topic.config, $1) }
        }
    }

    func retention(topic: String?, now: Int64) throws(BrokerError) -> [TopicPartition: RetentionResult] {
        var results: [TopicPartition: RetentionResult] = [:]
        for (partition, config, log) in try partitions(of: topic) {
            let result = try Retention.apply(to: log, config: config, now: now)
            if !result.deletedSegments.isEmpty { results[partition] = result }
        }
        return results
    }

    func compaction(topic: String?, now: Int64) throws(BrokerError) -> [TopicPartition: CompactionResult] {
        var results: [TopicPartition: CompactionResult] = [:]
        for (partition, config, log) in try partitions(of: topic) {
            let result = try Compaction.apply(to: log, config: config, now: now)
            if result.removedRecords > 0 || result.segmentsAfter != result.segmentsBefore { results[partition] = result }
        }
        return results
    }
}
