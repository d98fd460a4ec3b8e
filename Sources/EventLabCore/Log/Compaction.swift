/// What a compaction pass did to one partition.
public struct CompactionResult: Hashable, Sendable {
    /// Records removed because a later record has the same key, or tombstones past their time.
    public var removedRecords: Int
    /// Segments before and after.
    public var segmentsBefore: Int, segmentsAfter: Int

    /// Tombstones the pass kept, each until its delete horizon.
    public var keptTombstones: [KeptTombstone] = []
    /// What the cleaner's rules decided: nil for a partition with no closed segment.
    public var decision: CleaningDecision?

    /// Whether the pass removed records or merged segments.
    public var changed: Bool { removedRecords > 0 || segmentsAfter != segmentsBefore }
}

/// A tombstone compaction kept: consumers that are behind still see the delete until a
/// cleaning at or after `horizonMs` removes it.
public struct KeptTombstone: Hashable, Sendable {
    /// Its offset.
    public var offset: Int64
    /// Its batch's delete horizon (KIP-534): the first cleaning that saw it plus `delete.retention.ms`.
    public var horizonMs: Int64
}

/// What compaction decided for one partition from its closed segments as they were.
public struct CompactionPlan: Sendable {
    /// The closed segments it was planned from: it may replace them only while they are unchanged.
    public var basis: [SegmentInfo]
    /// The cleaned segments, oldest first; segments left empty have none.
    public var replacements: [SegmentReplacement]
    /// Records it removes.
    public var removedRecords: Int
    /// Tombstones it keeps, each until its delete horizon.
    public var keptTombstones: [KeptTombstone]

    /// Whether the segments need rewriting: records go, merges, or a tombstone's batch gets its horizon.
    public var rewrites: Bool { !replacements.isEmpty || removedRecords > 0 }
}

/// Kafka's log compaction: the closed segments keep the last record per key.
///
/// The active segment is never cleaned and does not count when deciding which record is last,
/// as in Kafka. Offsets are kept, so gaps appear. A tombstone survives its first cleaning,
/// which sets its batch's delete horizon to that cleaning's time plus `delete.retention.ms`
/// (KIP-534); the first cleaning at or after the horizon removes it, so consumers that are
/// behind see the delete however old the tombstone was when first cleaned.
/// Batches that lose records are re-encoded (new CRC); untouched batches keep their bytes.
/// Neighbouring cleaned segments merge while they fit `segment.bytes` and `segment.records`.
/// All closed segments are replaced in one step, so a crash leaves the log as it was or as it
/// is after cleaning, never half cleaned.
public enum Compaction {
    /// What compacting the `count` oldest of `closed` at time `now` would do (by default all:
    /// the cleaner's rules may stop sooner, see ``CleaningDecision``), or nil when the topic is
    /// not compacted or there is nothing to clean. A plan that ``CompactionPlan/rewrites``
    /// nothing still says which tombstones stay.
    ///
    /// - Throws: what reading the segments throws; nothing is changed then.
    public static func plan(_ closed: any ClosedSegments, count: Int? = nil, config: TopicConfig, now: Int64) throws(BrokerError) -> CompactionPlan? {
        let segments = Array(closed.segments.prefix(count ?? closed.segments.count))
        guard config.cleanupPolicy.contains(.compact), !segments.isEmpty else { return nil }
        var batchesBySegment: [[RecordBatch]] = []
        var lastOffsetByKey: [ArraySlice<UInt8>: Int64] = [:]
        for index in segments.indices {
            let batches = try closed.batches(inSegment: index)
            batchesBySegment.append(batches)
            for batch in batches {
                for record in try batch.records() {
                    if let key = record.key { lastOffsetByKey[key] = record.offset }
                }
            }
        }
        var removed = 0
        var horizonsSet = false
        var tombstones: [KeptTombstone] = []
        var cleaned: [[RecordBatch]] = []
        for batches in batchesBySegment {
            var kept: [RecordBatch] = []
            for batch in batches {
                let records = try batch.records()
                let horizon = batch.deleteHorizonMs
                let survivors = records.filter { record in
                    guard let key = record.key, lastOffsetByKey[key] == record.offset else { return false }
                    // Kafka's cleaner keeps a tombstone while the cleaning is before its batch's
                    // horizon, and always when the batch has none yet.
                    return !record.isTombstone || horizon.map { now < $0 } ?? true
                }
                let keptTombstones = survivors.filter(\.isTombstone)
                let newHorizon = horizon ?? (keptTombstones.isEmpty ? nil : now.addingSaturating(config.deleteRetentionMs))
                if let newHorizon { tombstones += keptTombstones.map { KeptTombstone(offset: $0.offset, horizonMs: newHorizon) } }
                removed += records.count - survivors.count
                if survivors.count == records.count && newHorizon == horizon {
                    kept.append(batch)
                } else if !survivors.isEmpty {
                    horizonsSet = horizonsSet || newHorizon != horizon
                    // A LogAppendTime batch keeps its type and append time: its records read it.
                    let rebuilt = RecordBatch(retaining: survivors, of: batch, deleteHorizonMs: newHorizon)
                    kept.append(batch.isLogAppendTime ? rebuilt.stamped(logAppendTime: true, maxTimestamp: batch.maxTimestamp) : rebuilt)
                }
            }
            cleaned.append(kept)
        }
        let groups = mergeGroups(cleaned, config: config)
        guard removed > 0 || horizonsSet || groups.contains(where: { $0.count > 1 }) else {
            return CompactionPlan(basis: segments, replacements: [], removedRecords: 0, keptTombstones: tombstones)
        }
        let replacements = groups.compactMap { group -> SegmentReplacement? in
            let batches = group.flatMap { cleaned[$0] }
            return batches.isEmpty ? nil : SegmentReplacement(baseOffset: segments[group.lowerBound].baseOffset, batches: batches)
        }
        return CompactionPlan(basis: segments, replacements: replacements, removedRecords: removed, keptTombstones: tombstones)
    }

    /// Consecutive segment ranges whose cleaned contents fit one segment.
    private static func mergeGroups(_ cleaned: [[RecordBatch]], config: TopicConfig) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        var bytes = 0
        var records = 0
        for (index, batches) in cleaned.enumerated() {
            let segmentBytes = batches.reduce(0) { $0 + $1.byteCount }
            let segmentRecords = batches.reduce(0) { $0 + Int($1.recordCount) }
            let fits = bytes + segmentBytes <= config.segmentBytes
                && config.segmentRecords.map { records + segmentRecords <= $0 } ?? true
            if index > start && !fits {
                groups.append(start..<index)
                start = index
                bytes = 0
                records = 0
            }
            bytes += segmentBytes
            records += segmentRecords
        }
        groups.append(start..<cleaned.count)
        return groups
    }
}
