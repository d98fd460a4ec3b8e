/// What rolling, retention and compaction need to know about one segment of a partition.
///
/// Everything here follows from the segment's batches, so memory and disk agree on it.
public struct SegmentInfo: Hashable, Sendable {
    /// The first offset the segment covers; it names the segment's file on disk.
    public var baseOffset: Int64
    /// The offset after the last one the segment covers: the next segment's base offset, or for
    /// the active segment the log-end offset.
    public var endOffset: Int64
    /// The segment's size in bytes: the sum of its batches.
    public var byteCount: Int
    /// The records it holds; fewer than `endOffset - baseOffset` after compaction.
    public var recordCount: Int
    /// The first batch's newest timestamp, from which `segment.ms` counts (Kafka's rule); nil while empty.
    public var firstTimestamp: Int64?
    /// The newest record timestamp in it, which time retention compares; nil while empty.
    public var maxTimestamp: Int64?

    /// A segment summary with the given facts.
    public init(
        baseOffset: Int64, endOffset: Int64, byteCount: Int, recordCount: Int,
        firstTimestamp: Int64?, maxTimestamp: Int64?
    ) {
        self.baseOffset = baseOffset
        self.endOffset = endOffset
        self.byteCount = byteCount
        self.recordCount = recordCount
        self.firstTimestamp = firstTimestamp
        self.maxTimestamp = maxTimestamp
    }

    /// An empty segment starting at `baseOffset`.
    public static func empty(at baseOffset: Int64) -> SegmentInfo {
        SegmentInfo(
            baseOffset: baseOffset, endOffset: baseOffset, byteCount: 0, recordCount: 0,
            firstTimestamp: nil, maxTimestamp: nil)
    }

    /// The summary of a segment starting at `baseOffset` that holds `batches`.
    public init(baseOffset: Int64, batches: some Sequence<RecordBatch>) {
        self = .empty(at: baseOffset)
        for batch in batches { add(batch) }
    }

    /// Adds `batch`, which starts at or after `endOffset` (after it across a leader's compaction
    /// gap), to the summary.
    public mutating func add(_ batch: RecordBatch) {
        endOffset = batch.nextOffset
        byteCount += batch.byteCount
        recordCount += Int(batch.recordCount)
        firstTimestamp = firstTimestamp ?? batch.maxTimestamp
        maxTimestamp = max(maxTimestamp ?? batch.maxTimestamp, batch.maxTimestamp)
    }
}
