/// One partition's segments held in memory, as lists of RecordBatch v2 bytes.
public final class MemoryPartition: PartitionStorage {
    private struct Segment {
        var info: SegmentInfo
        var batches: [RecordBatch] = []
    }

    private var storedSegments: [Segment]
    public private(set) var logStartOffset: Int64 = 0
    /// What stands in for a disk's sync, if anything: tests hold or fail it there.
    private let sync: PendingSync?
    /// A batch appended but waiting for its sync.
    private var unsynced: RecordBatch?

    /// An empty partition with one active segment at offset 0. With `sync`, every append waits
    /// for it, as a disk partition with flush policy `batch` waits for its fsync.
    public init(sync: PendingSync? = nil) {
        storedSegments = [Segment(info: .empty(at: 0))]
        self.sync = sync
    }

    public var segments: [SegmentInfo] { storedSegments.map(\.info) }

    public private(set) var cleanerCheckpoint: Int64 = 0

    public func setCleanerCheckpoint(_ offset: Int64) { cleanerCheckpoint = offset }

    public var activeSegment: SegmentInfo { storedSegments[storedSegments.count - 1].info }

    public func append(_ batch: RecordBatch) -> PendingSync? {
        guard let sync else {
            add(batch)
            return nil
        }
        unsynced = batch
        return sync
    }

    public func finishAppend(synced: Result<Void, BrokerError>) throws(BrokerError) {
        guard let batch = unsynced else { return }
        unsynced = nil
        try synced.get()
        add(batch)
    }

    private func add(_ batch: RecordBatch) {
        let last = storedSegments.count - 1
        storedSegments[last].batches.append(batch)
        storedSegments[last].info.add(batch)
    }

    public func roll() {
        storedSegments.append(Segment(info: .empty(at: logEndOffset)))
    }

    public func truncate(to offset: Int64) {
        precondition(unsynced == nil, "a partition is not truncated while an append waits for its sync")
        guard offset < logEndOffset else { return }
        var kept = Array(storedSegments.prefix { $0.info.baseOffset < offset })
        if let last = kept.indices.last { kept[last].batches = kept[last].batches.filter { $0.lastOffset < offset } }
        while kept.last?.batches.isEmpty == true { kept.removeLast() }
        guard let last = kept.last, let end = last.batches.last?.nextOffset, end >= logStartOffset, offset > logStartOffset else {
            return startAfresh(at: min(offset, logStartOffset))
        }
        kept[kept.count - 1].info = SegmentInfo(baseOffset: last.info.baseOffset, batches: last.batches)
        storedSegments = kept
        cleanerCheckpoint = min(cleanerCheckpoint, end)
    }

    public func startAfresh(at offset: Int64) {
        precondition(unsynced == nil, "a partition is not started afresh while an append waits for its sync")
        storedSegments = [Segment(info: .empty(at: offset))]
        logStartOffset = offset
        cleanerCheckpoint = min(cleanerCheckpoint, offset)
    }

    public func batches(from offset: Int64, maxBytes: Int) -> [RecordBatch] {
        var result: [RecordBatch] = []
        var bytes = 0
        let first = storedSegments.partitioningIndex { $0.info.endOffset > offset }
        for segment in storedSegments[first...] {
            let start = segment.batches.partitioningIndex { $0.lastOffset >= offset }
            for batch in segment.batches[start...] {
                if !result.isEmpty && bytes + batch.byteCount > maxBytes { return result }
                result.append(batch)
                bytes += batch.byteCount
            }
        }
        return result
    }

    public func storedBytes(from offset: Int64, maxBytes: Int) -> [any StoredBytes] {
        let batches = batches(from: offset, maxBytes: maxBytes)
        return batches.isEmpty ? [] : [BatchBytes(batches)]
    }

    public func batches(inSegment index: Int) -> [RecordBatch] {
        storedSegments[index].batches
    }

    public func offset(atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        try scanForOffset(atOrAfter: timestamp)
    }

    public func deleteOldestSegments(_ count: Int) {
        let count = min(count, storedSegments.count - 1)
        guard count > 0 else { return }
        storedSegments.removeFirst(count)
        logStartOffset = max(logStartOffset, storedSegments[0].info.baseOffset)
    }

    public func advanceLogStart(to offset: Int64) {
        precondition(offset <= logEndOffset, "the log start never passes the log end")
        guard offset > logStartOffset else { return }
        logStartOffset = offset
        deleteOldestSegments(storedSegments.dropFirst().prefix { $0.info.baseOffset <= offset }.count)
    }

    public func closedSegments() -> any ClosedSegments {
        let closed = storedSegments.dropLast()
        return MemoryClosedSegments(segments: closed.map(\.info), batches: closed.map(\.batches))
    }

    public func replaceSegments(_ count: Int, with prepared: any PreparedSegments) {
        let replacements = (prepared as! MemoryPreparedSegments).replacements
        precondition(count < storedSegments.count, "the active segment is never replaced")
        guard count > 0 else { return }
        let end = storedSegments[count - 1].info.endOffset
        let segments = replacements.enumerated().map { index, replacement in
            var info = SegmentInfo(baseOffset: replacement.baseOffset, batches: replacement.batches)
            info.endOffset = index + 1 < replacements.count ? replacements[index + 1].baseOffset : end
            return Segment(info: info, batches: replacement.batches)
        }
        storedSegments.replaceSubrange(0..<count, with: segments)
    }
}

/// Closed segments held in memory: the batches themselves, which never change once stored.
private struct MemoryClosedSegments: ClosedSegments {
    let segments: [SegmentInfo]
    let batches: [[RecordBatch]]

    func batches(inSegment index: Int) -> [RecordBatch] { batches[index] }

    func prepare(_ replacements: [SegmentReplacement]) -> any PreparedSegments {
        MemoryPreparedSegments(replacements: replacements)
    }
}

/// Replacement segments in memory: nothing to write ahead, nothing to discard.
private struct MemoryPreparedSegments: PreparedSegments {
    let replacements: [SegmentReplacement]

    func discard() {}
}
