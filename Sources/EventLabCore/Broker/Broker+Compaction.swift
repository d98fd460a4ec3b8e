/// One partition's compaction as things stood when it was looked at: what to read, and what
/// must still hold when it swaps.
struct CompactionJob: @unchecked Sendable {
    let partition: TopicPartition
    /// The topic's configuration the plan follows; altering the topic makes the plan stale.
    let config: TopicConfig
    /// The partition's storage, compared by identity only — a topic deleted and created again
    /// has new storage — and called only under the lock, which is why this type may cross it.
    let storage: any PartitionStorage
    /// The closed segments, read and rewritten outside the lock.
    let closed: any ClosedSegments
    /// The cleaner checkpoint then: the first offset not yet cleaned.
    let checkpoint: Int64
    /// The high watermark then: the cleaner never cleans past it, as Kafka's stops at the last
    /// stable offset, so a record not yet on every in-sync replica is never compacted away.
    let highWatermark: Int64
    /// Called once the cleaned segments are written and before the lock is taken to swap them.
    let willSwap: (@Sendable (TopicPartition) -> Void)?
}

/// What the broker finds, under its lock, of the partition a compaction job was made from.
enum CompactionCheck: Sendable {
    /// Still the same closed segments, config and storage: a plan made from the job holds.
    case current
    /// The partition is there but changed (retention, another compaction, an altered config):
    /// a new job from how it is now.
    case changed(CompactionJob)
    /// The topic or partition was deleted (or deleted and created again).
    case gone
}

/// How a compaction's swap ended.
private enum SwapOutcome: Sendable {
    case swapped(CompactionResult)
    case changed(CompactionJob)
    case gone
}

extension BrokerState {
    /// A compaction job for `partition` as it is now.
    func compactionJob(_ partition: TopicPartition, config: TopicConfig, log: PartitionLog) -> CompactionJob {
        CompactionJob(
            partition: partition, config: config, storage: log.storage, closed: log.storage.closedSegments(),
            checkpoint: log.storage.cleanerCheckpoint,
            highWatermark: highWatermark(of: partition),
            willSwap: compactionWillSwap)
    }

    /// Whether what `job` was made from still holds. Appends and rolls do not matter: they
    /// touch only the active segment, and a roll adds a closed segment after the planned ones.
    func check(_ job: CompactionJob) -> CompactionCheck {
        // A closed broker's storage is shut: its cleaned segments have nowhere to go.
        guard !isClosed, let (topic, log) = try? partition(job.partition.topic, job.partition.partition), log.storage === job.storage else {
            return .gone
        }
        let basis = job.closed.segments
        let segments = log.segments
        guard topic.config == job.config, segments.count > basis.count, Array(segments.prefix(basis.count)) == basis,
              log.storage.cleanerCheckpoint == job.checkpoint
        else {
            return .changed(compactionJob(job.partition, config: topic.config, log: log))
        }
        return .current
    }
}

extension Broker {
    /// How many times compaction plans a partition again when what it planned from changed
    /// before it could swap. Closed segments change only by retention, compaction and
    /// altering the topic, never by appends, so a second plan nearly always holds.
    static let compactionAttempts = 4

    /// Compacts the partition of `job` as the log cleaner's next pass would: decides by
    /// ``CleaningDecision`` whether to clean and how far, reads and plans from its closed
    /// segments and writes the cleaned ones outside the lock — so appends, reads and other
    /// partitions go on meanwhile — then, under the lock, swaps them in and moves the cleaner
    /// checkpoint only if the partition is still as planned from; otherwise throws them away and
    /// plans again from how it is now. With `force` the dirty ratio does not matter.
    ///
    /// - Returns: what changed, or nil when the partition was deleted meanwhile.
    /// - Throws: damage found in the segments, or a storage error; nothing is changed then.
    func compact(_ first: CompactionJob, now: Int64, force: Bool = false) throws(BrokerError) -> CompactionResult? {
        var job = first
        for _ in 0..<Self.compactionAttempts {
            let count = job.closed.segments.count + 1
            let unchanged = CompactionResult(removedRecords: 0, segmentsBefore: count, segmentsAfter: count)
            guard job.config.cleanupPolicy.contains(.compact), !job.closed.segments.isEmpty else { return unchanged }
            let replicated = Array(job.closed.segments.prefix { $0.endOffset <= job.highWatermark })
            let decision = CleaningDecision(closed: replicated, checkpoint: job.checkpoint, config: job.config, now: now, force: force)
            guard decision.skip == nil else {
                var skipped = unchanged
                skipped.decision = decision
                return skipped
            }
            let plan: CompactionPlan?
            do {
                plan = try Compaction.plan(job.closed, count: decision.cleanableSegments, config: job.config, now: now)
            } catch {
                // A segment that retention or another compaction removed meanwhile reads as
                // missing or damaged: only an unchanged partition's error is its own.
                switch state.withLock({ $0.check(job) }) {
                case .current: throw error
                case .changed(let next): job = next; continue
                case .gone: return nil
                }
            }
            var prepared: (any PreparedSegments)?
            if let plan, plan.rewrites { prepared = try job.closed.prepare(plan.replacements) }
            // After the lock, whether or not the swap took the prepared segments.
            defer { prepared?.discard() }
            if prepared != nil { job.willSwap?(job.partition) }
            let outcome = try state.withLock { state throws(BrokerError) -> SwapOutcome in
                switch state.check(job) {
                case .current:
                    let log = try state.partition(job.partition.topic, job.partition.partition).1
                    let before = log.segments.count
                    if let plan, let prepared { try log.storage.replaceSegments(plan.basis.count, with: prepared) }
                    // A checkpoint not written leaves these segments counted dirty: the next
                    // pass cleans them again, which changes nothing, as Kafka's would.
                    try? log.storage.setCleanerCheckpoint(decision.firstUncleanableOffset)
                    var result = CompactionResult(
                        removedRecords: plan?.removedRecords ?? 0, segmentsBefore: before, segmentsAfter: log.segments.count,
                        keptTombstones: plan?.keptTombstones ?? [])
                    result.decision = decision
                    return .swapped(result)
                case .changed(let next): return .changed(next)
                case .gone: return .gone
                }
            }
            switch outcome {
            case .swapped(let result): return result
            case .changed(let next): job = next
            case .gone: return nil
            }
        }
        // Changed under it every time: the partition is left as it is for the next cleaning.
        let count = job.closed.segments.count + 1
        return CompactionResult(removedRecords: 0, segmentsBefore: count, segmentsAfter: count)
    }

    /// Calls `hook` in every compaction once its cleaned segments are written, just before it
    /// takes the lock to swap them in: tests hold a compaction there, or change the partition
    /// under it.
    package func whenCompactionWillSwap(_ hook: (@Sendable (TopicPartition) -> Void)?) {
        state.withLock { $0.compactionWillSwap = hook }
    }
}
