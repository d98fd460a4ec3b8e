/// One replica's leader epochs: the epoch each run of its log was written in, and the offset
/// where that run starts — Kafka's `leader-epoch-checkpoint`. A follower asks its leader where
/// its latest epoch ends (OffsetsForLeaderEpoch, KIP-101 and KIP-279) and truncates there, so
/// records a dead leader wrote but never replicated disappear instead of diverging.
struct LeaderEpochCache {
    /// `(epoch, first offset)`, epochs increasing.
    private(set) var entries: [(epoch: Int32, start: Int64)] = []

    /// The cache of `log`, read from its batches' `partitionLeaderEpoch`.
    init(rebuiltFrom log: PartitionLog) throws(BrokerError) {
        for index in log.segments.indices {
            for batch in try log.storage.batches(inSegment: index) {
                note(batch.partitionLeaderEpoch, at: batch.baseOffset)
            }
        }
    }

    /// The latest epoch, or nil for an empty log.
    var latestEpoch: Int32? { entries.last?.epoch }

    /// The epoch `offset` was written in: that of the last run starting at or before it; nil
    /// before the first.
    func epoch(at offset: Int64) -> Int32? {
        entries.last { $0.start <= offset }?.epoch
    }

    /// Records that a batch of `epoch` starts at `offset`.
    mutating func note(_ epoch: Int32, at offset: Int64) {
        if let last = entries.last, last.epoch >= epoch { return }
        entries.append((epoch, offset))
    }

    /// Forgets the epochs of everything from `offset` on (the log was truncated there).
    mutating func truncate(from offset: Int64) {
        entries.removeAll { $0.start >= offset }
    }

    /// The leader's answer to "where does epoch `epoch` end?": the largest epoch it knows at or
    /// below `epoch`, and the offset where the next epoch starts (its log end if none does);
    /// nil when it knows no epoch that old.
    func end(of epoch: Int32, logEnd: Int64) -> (epoch: Int32, end: Int64)? {
        guard let index = entries.lastIndex(where: { $0.epoch <= epoch }) else { return nil }
        let end = index + 1 < entries.count ? entries[index + 1].start : logEnd
        return (entries[index].epoch, end)
    }
}
