/// A partition's closed segments as they were at one moment, readable without the broker's lock.
///
/// Closed segments never change while the active one takes appends, so compaction reads and
/// rewrites them outside the lock and takes it only to swap. Retention, another compaction,
/// altering or deleting the topic may change things meanwhile; the broker checks under the lock
/// before it swaps, and throws the prepared segments away if anything did.
public protocol ClosedSegments: Sendable {
    /// The closed segments, oldest first.
    var segments: [SegmentInfo] { get }
    /// All batches of the segment at `index` in `segments`.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming file and byte for damage anywhere in it; a storage
    ///   error when the segment went away since (then the snapshot is stale, not damaged).
    func batches(inSegment index: Int) throws(BrokerError) -> [RecordBatch]
    /// Writes `replacements` where no reader sees them, so that swapping them in later is quick.
    ///
    /// - Throws: the storage error, having left nothing behind.
    func prepare(_ replacements: [SegmentReplacement]) throws(BrokerError) -> any PreparedSegments
}

/// Segments written to replace closed ones, not yet swapped in.
public protocol PreparedSegments: Sendable {
    /// Removes what the swap did not take: all of it when there was no swap.
    func discard()
}
