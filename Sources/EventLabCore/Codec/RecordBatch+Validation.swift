extension RecordBatch {
    /// What reading every record of a batch found, beyond its header.
    public struct Contents: Hashable, Sendable {
        /// Whether some record has no key (which a compacted topic refuses).
        public var hasKeylessRecord: Bool
        /// The newest record timestamp, which the stored batch's `maxTimestamp` must say.
        public var maxTimestamp: Int64
    }

    /// Timestamp type bit of the attributes: set for LogAppendTime, which only a broker may stamp.
    static let logAppendTimeBit: Int16 = 0x08
    /// Control bit of the attributes: transaction markers, which only a broker may write.
    static let controlBit: Int16 = 0x20

    /// Checks that a produced batch's header agrees with its records, as Kafka's LogValidator
    /// checks a client's batch: the log trusts `recordCount` and `lastOffsetDelta` from here on,
    /// so a header that lies would reuse offsets or jump the log end. A wrong `maxTimestamp` is
    /// not refused: the log recomputes it on append, as Kafka's LogValidator does.
    ///
    /// - Throws: `INVALID_RECORD` when the count, offset deltas or `lastOffsetDelta` disagree
    ///   with the records, for a control batch, or for a producer id
    ///   without a sequence; `INVALID_TIMESTAMP` for a record timestamp below -1 (Kafka's "no
    ///   timestamp") or a LogAppendTime batch; `CORRUPT_MESSAGE` for records that cannot be read.
    public func checkedContents() throws(BrokerError) -> Contents {
        try checkHeader()
        let base = baseTimestamp
        var walk = Walk()
        var failure: Int?
        var refusal: BrokerError?
        bytesAfterBaseOffset.withUnsafeBytes { raw in
            var reader = ByteReader(raw, position: Self.headerSize - 8)
            do throws(ByteReader.Truncated) {
                while reader.remaining > 0, refusal == nil {
                    let record = try RecordFields.read(&reader) { _, _ in }
                    refusal = walk.take(
                        timestampDelta: record.timestampDelta, offsetDelta: record.offsetDelta, keyless: record.key == nil, baseTimestamp: base)
                }
            } catch {
                failure = error.position
            }
        }
        if let refusal { throw refusal }
        if let failure { throw .corrupt("the produced batch is malformed at byte \(8 + failure)") }
        guard walk.count == Int(recordCount) else {
            throw BrokerError(
                .invalidRecord,
                "the batch's recordCount says \(recordCount) but it holds \(walk.count) record\(walk.count == 1 ? "" : "s"); the count must match the records")
        }
        return Contents(hasKeylessRecord: walk.keyless, maxTimestamp: walk.maxTimestamp)
    }

    /// Kafka's checks of a client's batch header (LogValidator.validateBatch and the timestamp type).
    private func checkHeader() throws(BrokerError) {
        guard attributes & Self.controlBit == 0 else {
            throw BrokerError(.invalidRecord, "the batch is a control batch; only the broker writes those, so a producer must send data batches")
        }
        guard attributes & Self.logAppendTimeBit == 0 else {
            throw BrokerError(
                .invalidTimestamp,
                "the batch asks for LogAppendTime; the broker sets that time itself, so a producer must send CreateTime batches")
        }
        guard recordCount > 0 else {
            throw BrokerError(.invalidRecord, "the batch's recordCount is \(recordCount); a produced batch holds at least one record")
        }
        guard Int64(lastOffsetDelta) == Int64(recordCount) - 1 else {
            throw BrokerError(
                .invalidRecord,
                "the batch's lastOffsetDelta is \(lastOffsetDelta) but its recordCount is \(recordCount); a produced batch's offsets run 0 to recordCount-1")
        }
        guard producerId < 0 || baseSequence >= 0 else {
            throw BrokerError(
                .invalidRecord,
                "the batch has producer id \(producerId) but sequence \(baseSequence); an idempotent producer's batch needs a sequence of 0 or more")
        }
    }

    /// The records seen so far, checked one at a time.
    private struct Walk {
        var count = 0
        var maxTimestamp: Int64 = -1
        var keyless = false

        /// Takes the next record, or returns why the batch is refused.
        mutating func take(timestampDelta: Int64, offsetDelta: Int64, keyless: Bool, baseTimestamp: Int64) -> BrokerError? {
            guard offsetDelta == Int64(count) else {
                return BrokerError(
                    .invalidRecord,
                    "record \(count) of the batch has offset delta \(offsetDelta); a produced batch's records have offset deltas 0, 1, 2, … in order")
            }
            let (timestamp, overflow) = baseTimestamp.addingReportingOverflow(timestampDelta)
            guard !overflow, timestamp >= -1 else {
                let shown = overflow ? "\(baseTimestamp) + \(timestampDelta)" : "\(timestamp)"
                return BrokerError(
                    .invalidTimestamp,
                    "record \(count) of the batch has timestamp \(shown); a timestamp is milliseconds since 1970 (0 or more), or -1 for none")
            }
            maxTimestamp = max(maxTimestamp, timestamp)
            self.keyless = self.keyless || keyless
            count += 1
            return nil
        }
    }
}
