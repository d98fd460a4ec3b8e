/// What a retention pass did to one partition.
public struct RetentionResult: Hashable, Sendable {
    /// Segments deleted, oldest first.
    public var deletedSegments: [SegmentInfo]
    /// The log-start offset afterwards.
    public var logStartOffset: Int64
}

/// Kafka's retention rules, as a pure decision over segment summaries.
public enum Retention {
    /// How many of the oldest segments retention deletes: whole closed segments only, never the
    /// active one; by time (the segment's newest record older than `retention.ms`), by bytes and
    /// by records (delete while what remains still holds at least the limit — Kafka never goes
    /// below it).
    public static func deletableSegmentCount(_ segments: [SegmentInfo], config: TopicConfig, now: Int64) -> Int {
        guard config.cleanupPolicy.contains(.delete) else { return 0 }
        let closed = segments.dropLast()
        var count = 0
        if let retentionMs = config.retentionMs {
            let expired = closed.prefix { $0.expires(before: now.subtractingSaturating(retentionMs)) }.count
            count = max(count, expired)
        }
        if let limit = config.retentionBytes {
            count = max(count, prefixBeyondLimit(closed, total: segments.reduce(0) { $0 + Int64($1.byteCount) }, limit: limit) { Int64($0.byteCount) })
        }
        if let limit = config.retentionRecords {
            count = max(count, prefixBeyondLimit(closed, total: segments.reduce(0) { $0 + Int64($1.recordCount) }, limit: limit) { Int64($0.recordCount) })
        }
        return count
    }

    private static func prefixBeyondLimit(
        _ closed: ArraySlice<SegmentInfo>, total: Int64, limit: Int64, size: (SegmentInfo) -> Int64
    ) -> Int {
        var remaining = total
        var count = 0
        for segment in closed {
            guard remaining - size(segment) >= limit else { break }
            remaining -= size(segment)
            count += 1
        }
        return count
    }

    /// Applies retention to `log`.
    public static func apply(to log: PartitionLog, config: TopicConfig, now: Int64) throws(BrokerError) -> RetentionResult {
        let segments = log.segments
        let count = deletableSegmentCount(segments, config: config, now: now)
        if count > 0 { try log.storage.deleteOldestSegments(count) }
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
