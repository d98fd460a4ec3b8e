import EventLabCore

/// A message set of magic 0 or 1, the formats before RecordBatch v2: what Produce v0–v2
/// carry and what Fetch v0–v3 return. Pure: bytes in, records out, and back.
///
/// Kafka converts these to RecordBatch v2 on the way in; `producedBatch()` does the same, so
/// the broker only ever stores v2 batches. Every message's CRC-32 is checked; a gzip wrapper is
/// inflated into its inner messages.
///
/// Magic-0 messages carry no timestamp: their records hold -1, Kafka's `NO_TIMESTAMP`, as Kafka
/// stores them. A caller must treat -1 as "no time known", never as a moment 1 ms before the
/// epoch: Kafka's time retention judges a segment of such records by when it was last written
/// (a segment's largest timestamp falls back to its file's modification time), a search by time
/// never lands on them (no target lies at or before -1), the CreateTime check of
/// `message.timestamp.difference.max.ms` skips them, and a picture shows no time for them.
/// Under LogAppendTime the broker stamps them like any other record.
public struct LegacyMessageSet: Hashable, Sendable {
    /// The two old formats, by their magic byte.
    public enum Magic: Int8, Hashable, Sendable {
        /// Kafka 0.8–0.9: no timestamps.
        case v0 = 0
        /// Kafka 0.10: a timestamp per message, CreateTime or LogAppendTime.
        case v1 = 1
    }

    /// Where a message set was read from, which decides what a cut-off last message means.
    public enum Source: Hashable, Sendable {
        /// A Produce v0–v2 request: every message must be whole; a cut-off one is corrupt.
        ///
        /// Here EventLab departs from Kafka 2.5, which stops reading at a cut-off last message,
        /// trims it from the request and appends the rest with no error. No client writes a
        /// cut-off message, so such a request is damaged, and a success would tell the producer
        /// that a message it sent was stored when it was dropped; the v3+ path refuses bytes after
        /// its batch the same way.
        case produceRequest
        /// A Fetch v0–v3 response: a broker cuts the last message off at the fetch's size
        /// limit, and readers skip it (`partialTailBytes` counts it).
        case fetchResponse
    }

    /// The records, in order, with the offsets the set gives them (inner messages of a magic-1
    /// gzip wrapper made absolute, as Kafka's readers do) and their timestamps (-1 for magic 0;
    /// a LogAppendTime wrapper's own for its inner messages). No headers: the format has none.
    public let records: [Record]
    /// The bytes of a message cut off at the end of a fetch response; 0 when there is none.
    public let partialTailBytes: Int

    /// Reads `bytes` as a message set from `source`, checking every message.
    ///
    /// - Throws: `CORRUPT_MESSAGE` for a bad CRC, a magic other than 0 or 1, a size that does
    ///   not fit, or a cut-off message in a produce request; `INVALID_RECORD` for a compressed
    ///   wrapper that does not hold together (as Kafka's InvalidRecordException);
    ///   `UNSUPPORTED_COMPRESSION_TYPE` for snappy, lz4 and zstd (EventLab inflates gzip only);
    ///   `MESSAGE_TOO_LARGE` for wrappers inflating past 64 MiB, one alone or all of the set's
    ///   together (a decompression bomb). Each says which message, by its byte in the set.
    public init(decoding bytes: ArraySlice<UInt8>, from source: Source) throws(BrokerError) {
        let cutOff = source == .fetchResponse
            ? LegacyMessage.CutOff.skipped : .corrupt(because: "a produce request holds whole messages only")
        let (messages, partialTail) = try LegacyMessage.messages(in: bytes, place: "", cutOff: cutOff)
        var records: [Record] = []
        var inflated = 0
        for message in messages {
            if message.codec == 0 {
                records.append(Record(offset: message.offset, timestamp: message.timestamp, key: message.key, value: message.value))
            } else {
                let unwrapped = try Self.unwrap(message)
                inflated += unwrapped.reduce(0) { $0 + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) }
                guard inflated <= Gzip.maxInflatedBytes else {
                    throw BrokerError(.messageTooLarge, "the set's compressed messages inflate past \(Gzip.maxInflatedBytes) bytes together, at the message at byte \(message.position)")
                }
                records += unwrapped
            }
        }
        self.records = records
        partialTailBytes = partialTail
    }

    /// The records as the uncompressed RecordBatch v2 a producer of today would send — offsets
    /// 0, 1, 2… (Kafka ignores the offsets an old producer sends and assigns its own on append),
    /// keys, values and timestamps as sent (-1 for magic 0) — or nil when the set is empty.
    public func producedBatch() -> RecordBatch? {
        guard !records.isEmpty else { return nil }
        return RecordBatch(records: records.enumerated().map { index, record in
            Record(offset: Int64(index), timestamp: record.timestamp, key: record.key, value: record.value)
        })
    }

    /// The magic byte of the first message or batch in `bytes`, or nil when it is too short
    /// to hold one: it sits at byte 16 in every format, so a Produce v0–v2 request's records
    /// (which Kafka lets hold a v2 batch too) can be told apart before they are read.
    public static func magic(of bytes: ArraySlice<UInt8>) -> Int8? {
        bytes.count > 16 ? Int8(bitPattern: bytes[bytes.startIndex + 16]) : nil
    }
}
