/// What a retention pass did to one partition.
public struct RetentionResult: Hashable, Sendable {
    /// Segments deleted, oldest first.
    public var deletedSegments: [SegmentInfo]
    /// The log-start offset afterwards.
    public var logStartOffset: Int64
}

/// Kafka's retention rules, as a pure decision over segment summaries.
public enum Retention {
    /// How many of the oldest segments retention deletes, as Kafka's `log.retention.ms` and
    /// `retention.bytes` decide: whole segments, the active one included unless it is empty; by
    /// time (the segment's newest record older than `retention.ms`, so records expire a segment
    /// at a time), by bytes and by records (delete while what remains still holds at least the
    /// limit — Kafka never goes below it).
    public static func deletableSegmentCount(_ segments: [SegmentInfo], config: TopicConfig, now: Int64) -> Int {
        guard config.cleanupPolicy.contains(.delete) else { return 0 }
        // An empty active segment holds nothing to expire, and the log always keeps one.
        let candidates = segments.last?.byteCount == 0 ? segments.dropLast() : segments[...]
        var count = 0
        if let retentionMs = config.retentionMs {
            let expired = candidates.prefix { $0.expires(before: now.subtractingSaturating(retentionMs)) }.count
            count = max(count, expired)
        }
        if let limit = config.retentionBytes {
            count = max(count, prefixBeyondLimit(candidates, total: segments.reduce(0) { $0 + Int64($1.byteCount) }, limit: limit) { Int64($0.byteCount) })
        }
        if let limit = config.retentionRecords {
            count = max(count, prefixBeyondLimit(candidates, total: segments.reduce(0) { $0 + Int64($1.recordCount) }, limit: limit) { Int64($0.recordCount) })
        }
        return count
    }

    private static func prefixBeyondLimit(
        _ candidates: ArraySlice<SegmentInfo>, total: Int64, limit: Int64, size: (SegmentInfo) -> Int64
    ) -> Int {
        var remaining = total
        var count = 0
        for segment in candidates {
            guard remaining - size(segment) >= limit else { break }
            remaining -= size(segment)
            count += 1
        }
        return count
    }

    /// Applies retention to `log`. When the active segment goes too, it is rolled before it is
    /// deleted, as Kafka does, so the log keeps an empty active segment at its log end, which
    /// becomes the log start. The closed segments go before that roll, so a full disk has the
    /// room the roll needs.
    public static func apply(to log: PartitionLog, config: TopicConfig, now: Int64, highWatermark: Int64) throws(BrokerError) -> RetentionResult {
        let segments = log.segments
        // As Kafka's, never past the high watermark: a record not yet on every in-sync replica stays.
        let replicated = segments.prefix { $0.endOffset <= highWatermark }.count
        let count = min(deletableSegmentCount(segments, config: config, now: now), replicated)
        let closed = min(count, segments.count - 1)
        if closed > 0 { try log.storage.deleteOldestSegments(closed) }
        if count == segments.count {
            try log.storage.roll()
            try log.storage.deleteOldestSegments(1)
        }
        // The offsets retention removed are neither clean nor dirty any more: the cleaner
        // checkpoint moves up to the new log start, as Kafka's does, so it never points before it.
        if log.storage.cleanerCheckpoint < log.logStartOffset { try log.storage.setCleanerCheckpoint(log.logStartOffset) }
        return RetentionResult(deletedSegments: Array(segments.prefix(count)), logStartOffset: log.logStartOffset)
    }
}

extension SegmentInfo {
    /// Whether time retention deletes the segment: its newest record is older than `limit`.
    /// A segment whose records carry no timestamp (-1, which clients may send) is never old
    /// by time: Kafka dates it by its file's modification time instead, a clock EventLab's
    /// logical time cannot share, so here only size and record retention remove it.
    func expires(before limit: Int64) -> Bool {
        let newest = maxTimestamp ?? .min
        return newest != Self.noTimestamp && newest < limit
    }

    /// Kafka's "no timestamp".
    static let noTimestamp: Int64 = -1
}
