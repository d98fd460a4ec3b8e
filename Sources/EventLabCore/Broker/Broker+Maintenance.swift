/// What a scheduled cleaning did, per partition that changed.
public struct MaintenanceReport: Sendable {
    /// When it ran, on the broker clock.
    public var at: Int64
    /// Partitions that lost segments to retention.
    public var retention: [TopicPartition: RetentionResult]
    /// Partitions that compaction changed.
    public var compaction: [TopicPartition: CompactionResult]
    /// Partitions whose cleaning stopped at damage, with the error naming file and byte. Each is
    /// reported once: scheduled cleaning leaves it alone afterwards (Kafka marks such a
    /// partition uncleanable), while `runRetention` and `runCompaction` still try it when asked.
    public var failures: [TopicPartition: BrokerError] = [:]

    /// True when it changed nothing and met no damage.
    public var isEmpty: Bool { retention.isEmpty && compaction.isEmpty && failures.isEmpty }
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

    /// The label of the retention and compaction check in ``Scheduler/pending(_:)``.
    public static let cleaningLabel = "retention and compaction check"

    /// Schedules the retention and compaction check on the broker clock, every
    /// `log.retention.check.interval.ms`: on the logical clock it runs as `clock advance` passes
    /// each due time, on the system clock in the background. What it did is posted to
    /// ``notices``.
    func scheduleCleaning() {
        let interval = config.logRetentionCheckIntervalMs
        // Weak: the scheduler belongs to the broker, and a broker dropped without `close` must
        // not be kept alive by its own timetable.
        scheduler.schedule(Self.cleaningLabel, in: .broker, after: interval, every: interval) { [weak self] in
            guard let self else { return }
            let report = cleanOnSchedule()
            if !report.isEmpty { notices.post(.cleaning(report)) }
        }
    }

    /// Runs retention and compaction on every partition not marked uncleanable, now.
    private func cleanOnSchedule() -> MaintenanceReport {
        let now = clock.now()
        return state.withLock { state in
            var report = MaintenanceReport(at: now, retention: [:], compaction: [:])
            guard !state.isClosed else { return report }
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
