/// One partition: Kafka's rules for appending, rolling and reading, over any storage.
///
/// Offsets start at 0 and are never reused; a batch is stored as the producer encoded it, with
/// only its base offset and timestamp header rewritten; segments roll only between batches.
public struct PartitionLog {
    /// The bytes, in memory or on disk.
    public let storage: any PartitionStorage

    /// A partition over `storage`.
    public init(storage: any PartitionStorage) {
        self.storage = storage
    }

    /// How many bytes of batches a record read asks storage for at a time: about 500 records
    /// of 100 bytes, a typical poll.
    static let readChunkBytes = 1 << 16

    /// The first readable offset.
    public var logStartOffset: Int64 { storage.logStartOffset }
    /// The offset the next record gets (Kafka's high watermark with a single replica).
    public var logEndOffset: Int64 { storage.logEndOffset }
    /// The segments, oldest first; the last is active.
    public var segments: [SegmentInfo] { storage.segments }

    /// Writes a batch that ``check(_:config:sentBytes:)`` returned at the log-end offset, rolling first
    /// if the active segment is full or old: for callers that check before they decide to append.
    /// Under LogAppendTime the batch is stamped with `now` first, as Kafka's broker stamps it, and
    /// every batch carries the `leaderEpoch` it was appended in.
    ///
    /// - Returns: the offset of the batch's first record, and the sync it still needs before it
    ///   is part of the log (see ``PartitionStorage/append(_:)``), or nil if it already is.
    public func append(
        checked batch: RecordBatch, config: TopicConfig, now: Int64, leaderEpoch: Int32 = 0
    ) throws(BrokerError) -> (baseOffset: Int64, sync: PendingSync?) {
        if shouldRoll(before: batch, config: config, now: now) {
            try storage.roll()
        }
        var placed = config.messageTimestampType == .logAppendTime ? batch.stamped(logAppendTime: true, maxTimestamp: now) : batch
        placed = placed.stamped(leaderEpoch: leaderEpoch)
        placed.baseOffset = logEndOffset
        return (placed.baseOffset, try storage.append(placed))
    }

    /// Appends a batch a follower fetched from its leader, keeping the leader's offsets, epoch
    /// and bytes, rolling by the same rules; a flush policy's sync runs at once.
    public func append(replicated batch: RecordBatch, config: TopicConfig, now: Int64) throws(BrokerError) {
        if shouldRoll(before: batch, config: config, now: now) {
            try storage.roll()
        }
        if let sync = try storage.append(batch) {
            try storage.finishAppend(synced: Result { () throws(BrokerError) in try sync() })
        }
    }

    /// Checks that the topic's rules allow `batch`, without appending it, and returns it as the
    /// log takes it: its `maxTimestamp` recomputed from its records, as Kafka's LogValidator
    /// sets it, so a client's header that disagrees can neither move retention nor a time lookup.
    ///
    /// Every path that appends comes through here, so a record the log cannot hold — a timestamp
    /// below -1, a header that disagrees with its records — is refused before anything is written.
    /// Timestamps are not compared with the clock: Kafka's `message.timestamp.difference.max.ms`
    /// is unbounded by default, and a bound would refuse every real client on a workspace whose
    /// logical clock says 2024.
    ///
    /// `sentBytes` is the batch's size as the producer sent it, when that differs from
    /// `batch` (a compressed batch, stored decompressed): Kafka measures `max.message.bytes`
    /// against the batch as sent, so a gzip batch that inflates past the limit is still accepted.
    ///
    /// - Throws: `MESSAGE_TOO_LARGE` past `max.message.bytes`; what
    ///   ``RecordBatch/checkedContents()`` throws; `INVALID_RECORD` for a record without a key on
    ///   a compacted topic.
    @discardableResult
    public func check(_ batch: RecordBatch, config: TopicConfig, sentBytes: Int? = nil) throws(BrokerError) -> RecordBatch {
        let size = sentBytes ?? batch.byteCount
        guard size <= config.maxMessageBytes else {
            let compressed = sentBytes == nil ? "" : " as sent (compressed)"
            throw BrokerError(
                .messageTooLarge,
                "the batch is \(size) bytes\(compressed); this topic's max.message.bytes is \(config.maxMessageBytes)")
        }
        let contents = try batch.checkedContents()
        if config.cleanupPolicy.contains(.compact), contents.hasKeylessRecord {
            throw BrokerError(
                .invalidRecord, "a compacted topic keeps the last record per key, so every record needs a key")
        }
        return batch.stamped(logAppendTime: false, maxTimestamp: contents.maxTimestamp)
    }

    private func shouldRoll(before batch: RecordBatch, config: TopicConfig, now: Int64) -> Bool {
        let active = storage.activeSegment
        guard active.recordCount > 0 else { return false }
        if active.byteCount + batch.byteCount > config.segmentBytes { return true }
        if let limit = config.segmentRecords, active.recordCount >= limit { return true }
        // A first record with no timestamp (-1, a magic-0 message's) dates nothing: Kafka then
        // counts from the segment's creation, which EventLab does not keep, so, as time retention
        // does, it never judges such a segment by age.
        if let first = active.firstTimestamp, first != SegmentInfo.noTimestamp, now.subtractingSaturating(first) >= config.segmentMs {
            return true
        }
        return false
    }

    /// Whole batches from the one holding `offset`, up to about `maxBytes` (at least one batch)
    /// and only those below `limit` (the high watermark: a consumer reads only what every
    /// in-sync replica has): what the network's Fetch sends, as bytes read only when sent.
    ///
    /// - Throws: `OFFSET_OUT_OF_RANGE` outside log start…log end.
    public func storedBytes(from offset: Int64, maxBytes: Int, below limit: Int64 = .max) throws(BrokerError) -> [any StoredBytes] {
        try checkReadable(offset)
        guard limit < logEndOffset else { return try storage.storedBytes(from: offset, maxBytes: maxBytes) }
        guard offset < limit else { return [] }
        let batches = try storage.batches(from: offset, maxBytes: maxBytes).filter { $0.baseOffset < limit }
        return batches.isEmpty ? [] : [BatchBytes(batches)]
    }

    /// Decoded records from `offset`, at most `maxRecords` and about `maxBytes` (at least one),
    /// below `limit` (the high watermark).
    ///
    /// - Throws: `OFFSET_OUT_OF_RANGE` outside log start…log end.
    public func records(from offset: Int64, maxRecords: Int, maxBytes: Int = .max, below limit: Int64 = .max) throws(BrokerError) -> [Record] {
        try checkReadable(offset)
        let end = min(limit, logEndOffset)
        var result: [Record] = []
        var bytes = 0
        var next = offset
        reading: while result.count < maxRecords, next < end {
            let batches = try storage.batches(from: next, maxBytes: min(maxBytes, Self.readChunkBytes))
            guard !batches.isEmpty else { break }
            for batch in batches {
                if !result.isEmpty && bytes + batch.byteCount > maxBytes { break reading }
                bytes += batch.byteCount
                guard batch.baseOffset < end else { break reading }
                for record in try batch.records() where record.offset >= next && record.offset < end && result.count < maxRecords {
                    result.append(record)
                }
                next = batch.nextOffset
                if result.count >= maxRecords { break reading }
            }
        }
        return result
    }

    /// The first offset whose record timestamp is at or after `timestamp`, or nil if none is.
    public func offset(atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        try storage.offset(atOrAfter: timestamp)
    }

    private func checkReadable(_ offset: Int64) throws(BrokerError) {
        guard offset >= logStartOffset, offset <= logEndOffset else {
            throw BrokerError(
                .offsetOutOfRange,
                "offset \(offset) is out of range: this partition holds offsets \(logStartOffset) to \(logEndOffset - 1) (log-end \(logEndOffset))"
            )
        }
    }
}
