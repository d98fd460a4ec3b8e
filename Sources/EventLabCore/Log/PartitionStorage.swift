/// Where one partition's segments live: in memory, or on disk in `EventLabStorage`.
///
/// The storage keeps bytes and answers by offset; every decision — when to roll, what
/// retention deletes, what compaction keeps — is made by the core (``PartitionLog``), so both
/// implementations behave the same. Calls come one at a time under the broker's lock; only
/// what ``closedSegments()`` returns is used outside it.
public protocol PartitionStorage: AnyObject {
    /// The segments, oldest first; never empty; the last one is the active segment.
    var segments: [SegmentInfo] { get }
    /// The last segment, where appends go (cheaper than `segments.last` on every append).
    var activeSegment: SegmentInfo { get }
    /// The first offset a consumer may read; moved by retention and by ``advanceLogStart(to:)``.
    var logStartOffset: Int64 { get }
    /// The cleaner checkpoint: the first offset compaction has not cleaned yet, kept across
    /// restarts as Kafka's `cleaner-offset-checkpoint`; 0 before the first cleaning.
    var cleanerCheckpoint: Int64 { get }
    /// Records that compaction cleaned everything before `offset`.
    func setCleanerCheckpoint(_ offset: Int64) throws(BrokerError)

    /// Writes `batch` after the active segment's last batch. Its `baseOffset` is the log-end
    /// offset, or above it when the batch is a copy of a leader's whose log compaction left a gap
    /// there: the offsets in between hold no record, as in a compacted segment.
    ///
    /// - Returns: nil when the batch is now part of the log, as durable as the storage promises
    ///   (its flush policy). Otherwise the policy wants it synced before it counts: its bytes
    ///   are written but not yet part of the log — no read, offset or segment shows them — and
    ///   the returned sync is to be run outside the broker's lock, its outcome handed to
    ///   ``finishAppend(synced:)`` before anything else appends to or rolls the partition.
    func append(_ batch: RecordBatch) throws(BrokerError) -> PendingSync?
    /// Ends the append whose sync ran: when it succeeded, the batch becomes part of the log;
    /// when it failed, the batch is cut back off and the partition is as it was before.
    ///
    /// - Throws: the sync's error.
    func finishAppend(synced: Result<Void, BrokerError>) throws(BrokerError)
    /// Closes the active segment and opens an empty one at the log-end offset.
    func roll() throws(BrokerError)
    /// Removes every batch whose last offset is at or after `offset`, whole, as Kafka's log
    /// truncation does: what a follower does when its leader does not hold its tail, and what
    /// a power loss does to what was never synced. Segments after the one that holds `offset`
    /// go; the last that remains becomes the active segment.
    ///
    /// Afterwards the log ends where the last batch kept ends (at most `offset`; a batch that
    /// straddles `offset` is removed whole). A log left with no batch at or after its log start
    /// starts afresh there, empty, with one segment; and when `offset` is at or below the log
    /// start, it starts afresh at `offset` (Kafka's `truncateFullyAndStartAt`). An `offset` at
    /// or past the log end changes nothing. The cleaner checkpoint never stays past the new end.
    ///
    /// Once this returns the truncation survives a crash; a crash part way leaves the log as it
    /// was, or cut at a batch boundary between `offset` and its old end (as when whole newer
    /// segments went first), and truncating again finishes the work.
    ///
    /// - Precondition: no append is waiting for its sync (``finishAppend(synced:)`` has run).
    func truncate(to offset: Int64) throws(BrokerError)
    /// Empties the partition and starts it afresh at `offset`, below or above its old end:
    /// Kafka's `truncateFullyAndStartAt`, what a follower does when its leader's log now starts
    /// past the follower's end (retention or deleted records removed what it lacks).
    ///
    /// - Precondition: no append is waiting for its sync.
    func startAfresh(at offset: Int64) throws(BrokerError)
    /// Whole batches starting with the one that holds `offset` (or the first after it, across a
    /// compaction gap), until `maxBytes` is reached; always at least one batch if any exists.
    func batches(from offset: Int64, maxBytes: Int) throws(BrokerError) -> [RecordBatch]
    /// What a network Fetch sends: whole batches from the one that holds `offset` (or the first
    /// after it), until `maxBytes` is reached — always at least one batch if any exists — as
    /// bytes read only when sent. Kafka does not check CRCs here; consumers do.
    func storedBytes(from offset: Int64, maxBytes: Int) throws(BrokerError) -> [any StoredBytes]
    /// All batches of the segment at `index` in `segments`.
    func batches(inSegment index: Int) throws(BrokerError) -> [RecordBatch]
    /// The producer fields of the segment at `index`'s batches, oldest first: what rebuilding
    /// the idempotent producers' state reads, from the batch headers alone.
    func producerFields(inSegment index: Int) throws(BrokerError) -> [ProducerFields]
    /// The first offset whose record timestamp is at or after `timestamp`, or nil.
    func offset(atOrAfter timestamp: Int64) throws(BrokerError) -> Int64?
    /// Deletes the `count` oldest segments (never the active one) and moves the log-start
    /// offset to the base offset of the first that remains.
    func deleteOldestSegments(_ count: Int) throws(BrokerError)
    /// Moves the log-start offset up to `offset`, as Kafka's DeleteRecords does: the records
    /// before it can no longer be read, and closed segments wholly before it are deleted. The
    /// offset may fall inside a segment. Once this returns, the new log start survives a crash;
    /// a segment it could not delete is deleted by the next open. An `offset` at or below the
    /// log start changes nothing.
    ///
    /// - Precondition: `offset` is at most the log-end offset.
    func advanceLogStart(to offset: Int64) throws(BrokerError)
    /// The closed segments as they are now, to read and rewrite without the broker's lock.
    func closedSegments() -> any ClosedSegments
    /// Replaces the `count` oldest segments (closed, and unchanged since `prepared` was planned
    /// from them) by the segments `prepared` holds, in one step that a crash cannot split:
    /// afterwards the partition holds all the old segments or all the new. Each new segment
    /// covers the offsets up to the next one's base (the last, up to the end of the old ones);
    /// offsets are never renumbered.
    ///
    /// - Precondition: `prepared` came from this partition's ``closedSegments()``.
    func replaceSegments(_ count: Int, with prepared: any PreparedSegments) throws(BrokerError)
}

/// The sync an appended batch still needs before it may be acknowledged, run outside the
/// broker's lock so that a slow disk holds back only the partition being written.
public typealias PendingSync = @Sendable () throws(BrokerError) -> Void

/// A segment that compaction writes in place of old ones.
public struct SegmentReplacement: Sendable {
    /// The new segment's base offset: that of the first old segment it replaces.
    public var baseOffset: Int64
    /// Its batches; never empty.
    public var batches: [RecordBatch]

    /// A segment at `baseOffset` holding `batches`.
    public init(baseOffset: Int64, batches: [RecordBatch]) {
        self.baseOffset = baseOffset
        self.batches = batches
    }
}

extension PartitionStorage {
    /// The offset the next appended record gets.
    public var logEndOffset: Int64 { activeSegment.endOffset }

    /// Reads the segment's batches whole: fine in memory; disk storage reads their headers only.
    public func producerFields(inSegment index: Int) throws(BrokerError) -> [ProducerFields] {
        try batches(inSegment: index).map(ProducerFields.init)
    }

    /// Finds the segment by its newest timestamp, then scans its batches: fine in memory; disk
    /// storage answers from its time index instead.
    public func scanForOffset(atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        let all = segments
        guard let index = all.firstIndex(where: { ($0.maxTimestamp ?? .min) >= timestamp }) else { return nil }
        for batch in try batches(inSegment: index) where batch.maxTimestamp >= timestamp {
            if let record = try batch.records().first(where: { $0.timestamp >= timestamp }) {
                return max(record.offset, logStartOffset)
            }
        }
        return nil
    }
}
