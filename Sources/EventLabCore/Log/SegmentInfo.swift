/// What rolling, retention and compaction need to know about one segment of a partition.
public struct SegmentInfo: Hashable, Sendable {
    /// The first offset the segment covers; it names the segment's file on disk.
    public var baseOffset: Int64
    /// The offset after the last one the segment covers: the next segment's base offset.
    public var endOffset: Int64
    /// The segment's size in bytes: the sum of its batches.
    public var byteCount: Int
    /// The records it holds; fewer than `endOffset - baseOffset` after compaction.
    public var recordCount: Int
    /// The newest record timestamp in it, or nil while it is empty.
    public var maxTimestamp: Int64?
    /// When the segment was opened, by the broker clock: `segment.ms` rolls count from here.
    public var createdAt: Int64

    /// A segment summary with the given facts.
    public init(
        baseOffset: Int64, endOffset: Int64, byteCount: Int, recordCount: Int,
        maxTimestamp: Int64?, createdAt: Int64
    ) {
        self.baseOffset = baseOffset
        self.endOffset = endOffset
        self.byteCount = byteCount
        self.recordCount = recordCount
        self.maxTimestamp = maxTimestamp
        self.createdAt = createdAt
    }

    /// An empty segment starting at `baseOffset`.
    public static func empty(at baseOffset: Int64, createdAt: Int64) -> SegmentInfo {
        SegmentInfo(
            baseOffset: baseOffset, endOffset: baseOffset, byteCount: 0, recordCount: 0,
            maxTimestamp: nil, createdAt: createdAt)
    }

    /// Adds `batch`, which starts at or after `endOffset`, to the summary.
    public mutating func add(_ batch: RecordBatch) {
        endOffset = batch.nextOffset
        byteCount += batch.byteCount
        recordCount += Int(batch.recordCount)
        maxTimestamp = max(maxTimestamp ?? batch.maxTimestamp, batch.maxTimestamp)
    }
}
