/// What a scheduled retention check or log cleaner pass did, per partition that changed.
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

    /// Runs the log cleaner's next pass on every partition of `topic` (or of every topic), now:
    /// by its rules (``CleaningDecision``), or ignoring the dirty ratio with `force`. Each
    /// partition is read and rewritten outside the broker's lock, which is taken only to swap
    /// the cleaned segments in (see ``compact(_:now:force:)``), so clients are served meanwhile.
    ///
    /// - Returns: per compacted partition with closed segments, what the pass decided and did.
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION` when `topic` is deleted while it is compacted (the
    ///   cleaned segments are thrown away); damage or a storage error from a partition.
    public func runCompaction(topic: String? = nil, force: Bool = false) throws(BrokerError) -> [TopicPartition: CompactionResult] {
        let now = clock.now()
        let jobs = try state.withLock { state throws(BrokerError) in
            try state.partitions(of: topic.map { name throws(BrokerError) in try state.topic(name).0 }).map {
                state.compactionJob($0.0, config: $0.1, log: $0.2)
            }
        }
        var results: [TopicPartition: CompactionResult] = [:]
        for job in jobs {
            guard let result = try compact(job, now: now, force: force) else {
                guard let topic else { continue }
                throw BrokerError(
                    .unknownTopicOrPartition,
                    "topic '\(topic)' was deleted while compaction was cleaning it: its cleaned segments were thrown away")
            }
            if result.decision != nil { results[job.partition] = result }
        }
        return results
    }

    /// The label of the retention check in ``Scheduler/pending(_:)``.
    public static let retentionCheckLabel = "retention check"
    /// The label of the log cleaner's pass in ``Scheduler/pending(_:)``.
    public static let logCleanerLabel = "log cleaner pass"

    /// Schedules the two kinds of cleaning on the broker clock, as Kafka runs them: the retention
    /// check every `log.retention.check.interval.ms`, and the log cleaner's pass every
    /// `log.cleaner.backoff.ms` (Kafka's cleaner threads back off that long when nothing is
    /// dirty enough). On the logical clock each runs as `clock advance` passes its due times, on
    /// the system clock in the background. What they did is posted to ``notices``.
    func scheduleCleaning() {
        schedule(Self.retentionCheckLabel, every: config.logRetentionCheckIntervalMs, retention: true)
        schedule(Self.logCleanerLabel, every: config.logCleanerBackoffMs, retention: false)
    }

    private func schedule(_ label: String, every interval: Int64, retention: Bool) {
        // Weak: the scheduler belongs to the broker, and a broker dropped without `close` must
        // not be kept alive by its own timetable.
        scheduler.schedule(label, in: .broker, after: interval, every: interval) { [weak self] in
            guard let self else { return }
            let report = cleanOnSchedule(retention: retention)
            if !report.isEmpty { notices.post(.cleaning(report)) }
        }
    }

    /// Runs retention (`retention`) or the log cleaner's pass by its rules (otherwise) on every
    /// partition not marked uncleanable, now. Each partition takes the lock on its own, and
    /// compaction reads and writes outside it.
    private func cleanOnSchedule(retention: Bool) -> MaintenanceReport {
        let now = clock.now()
        let due: [TopicPartition] = state.withLock { state in
            state.isClosed ? [] : state.partitions(of: nil).map(\.0).filter { state.uncleanable[$0] == nil }
        }
        var report = MaintenanceReport(at: now, retention: [:], compaction: [:])
        for partition in due {
            do throws(BrokerError) {
                let job = try state.withLock { state throws(BrokerError) -> CompactionJob? in
                    guard !state.isClosed, let (topic, log) = try? state.partition(partition.topic, partition.partition) else { return nil }
                    guard !retention else {
                        let result = try Retention.apply(to: log, config: topic.config, now: now, highWatermark: state.highWatermark(of: partition))
                        if !result.deletedSegments.isEmpty { report.retention[partition] = result }
                        return nil
                    }
                    return state.compactionJob(partition, config: topic.config, log: log)
                }
                if let job, let compaction = try compact(job, now: now), compaction.changed { report.compaction[partition] = compaction }
            } catch {
                state.withLock { state in
                    if (try? state.partition(partition.topic, partition.partition)) != nil { state.uncleanable[partition] = error }
                }
                report.failures[partition] = error
            }
        }
        return report
    }
}

extension BrokerState {
    /// Every partition of `topic`, or of every topic, in order.
    fileprivate func partitions(of topic: TopicName?) -> [(TopicPartition, TopicConfig, PartitionLog)] {
        let names = topic.map { [$0] } ?? topics.keys.sorted()
        return names.flatMap { name in
            let topic = topics[name]!
            return topic.partitions.enumerated().compactMap { index, partition in
                partition.leader == nil ? nil : (TopicPartition(name.rawValue, Int32(index)), topic.config, partition.log)
            }
        }
    }

    func retention(topic: String?, now: Int64) throws(BrokerError) -> [TopicPartition: RetentionResult] {
        var results: [TopicPartition: RetentionResult] = [:]
        for (partition, config, log) in partitions(of: try topic.map { name throws(BrokerError) in try self.topic(name).0 }) {
            let result = try Retention.apply(to: log, config: config, now: now, highWatermark: highWatermark(of: partition))
            if !result.deletedSegments.isEmpty { results[partition] = result }
        }
        return results
    }
}

extension BrokerState {
    /// The high watermark of `partition` (no limit for a partition it cannot find).
    func highWatermark(of partition: TopicPartition) -> Int64 {
        (try? replicated(partition.topic, partition.partition).1.highWatermark) ?? .max
    }
}
