extension ReplicatedPartition {
    /// How many bytes one follower fetch copies at most: Kafka's `replica.fetch.max.bytes`.
    static let fetchMaxBytes = 1 << 20

    /// Whether `follower`'s fetch would change anything: it is behind its leader, or caught up
    /// but not yet back in the ISR.
    func needsFetch(by follower: Int32) -> Bool {
        guard let leader, follower != leader, let copy = copies[follower], let leaderLog = copies[leader] else { return false }
        return copy.logEndOffset < leaderLog.logEndOffset || !isr.contains(follower)
            || copy.logStartOffset < leaderLog.logStartOffset
    }

    /// One fetch of `follower` from its leader at `now`: copies the leader's next batches as they
    /// are (offsets, epochs and bytes), moves its log start up to the leader's, puts it back in
    /// the ISR once it has caught up, and moves the high watermark.
    ///
    /// - Returns: the offsets copied, and the follower's return to the ISR if it came back.
    mutating func fetch(
        by follower: Int32, config: TopicConfig, now: Int64, dirtyExpireMs: Int64
    ) throws(BrokerError) -> (copied: Range<Int64>, events: [ClusterEvent]) {
        guard let leader, let leaderLog = copies[leader], let copy = copies[follower] else { return (0..<0, []) }
        if copy.logEndOffset < leaderLog.logStartOffset {
            // What it lacks is gone from the leader too (retention, deleted records): Kafka's
            // follower hears OFFSET_OUT_OF_RANGE and starts afresh at the leader's log start.
            try copy.storage.startAfresh(at: leaderLog.logStartOffset)
            forgetHistory(of: follower)
            unflushed[follower] = nil
        }
        let from = copy.logEndOffset
        let leaderEnd = leaderLog.logEndOffset
        if from < leaderEnd {
            for var batch in try leaderLog.storage.batches(from: from, maxBytes: Self.fetchMaxBytes) where batch.nextOffset > copy.logEndOffset {
                if batch.baseOffset < copy.logEndOffset {
                    // Compaction rebuilt the leader's batches across the follower's end: take only what it lacks.
                    let kept = try batch.records().filter { $0.offset >= copy.logEndOffset }
                    guard !kept.isEmpty else { continue }
                    batch = RecordBatch(records: kept.map { Record(offset: $0.offset - kept[0].offset, timestamp: $0.timestamp, key: $0.key, value: $0.value, headers: $0.headers) },
                                        partitionLeaderEpoch: batch.partitionLeaderEpoch)
                    batch.baseOffset = kept[0].offset
                }
                let start = copy.logEndOffset
                try copy.append(replicated: batch, config: config, now: now)
                wrote(batch, on: follower, start: start, now: now, dirtyExpireMs: dirtyExpireMs)
                producerStates[follower]?.record(batch)
            }
        }
        if copy.logStartOffset < leaderLog.logStartOffset, leaderLog.logStartOffset <= copy.logEndOffset {
            try copy.storage.advanceLogStart(to: leaderLog.logStartOffset)
        }
        var events: [ClusterEvent] = []
        if copy.logEndOffset >= leaderEnd { caughtUpAt[follower] = now }
        if !isr.contains(follower), copy.logEndOffset >= leaderEnd, copy.logEndOffset >= highWatermark {
            isr = replicas.filter { isr.contains($0) || $0 == follower }
            events.append(.isrExpanded(id, added: follower, isr: isr))
        }
        advanceHighWatermark()
        return (from..<max(from, copy.logEndOffset), events)
    }

    /// Takes out of the ISR every follower that has not caught up with its leader for longer
    /// than `lagMaxMs` (Kafka's `replica.lag.time.max.ms`). A follower that fetches and is level
    /// with its leader counts as caught up now, as its continuous fetches would keep it.
    ///
    /// - Returns: the followers removed, with how long each was behind.
    mutating func shrinkIsr(now: Int64, lagMaxMs: Int64, fetching: (Int32) -> Bool) -> [(Int32, Int64)] {
        guard let leader, let leaderLog = copies[leader] else { return [] }
        var removed: [(Int32, Int64)] = []
        for follower in isr where follower != leader {
            // As Kafka since 2.5: a follower level with its leader is never out of sync, and
            // one that fetches while level is caught up now.
            guard copies[follower]!.logEndOffset < leaderLog.logEndOffset else {
                if fetching(follower) { caughtUpAt[follower] = now }
                continue
            }
            let behind = now.subtractingSaturating(caughtUpAt[follower] ?? now)
            if behind > lagMaxMs { removed.append((follower, behind)) }
        }
        guard !removed.isEmpty else { return [] }
        isr.removeAll { member in removed.contains { $0.0 == member } }
        advanceHighWatermark()
        return removed
    }
}
