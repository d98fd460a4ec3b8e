/// A Kafka RecordBatch v2 (magic 2), held as the exact bytes Kafka stores and sends.
///
/// The disk log writes these bytes as they are and the network server sends them as they are.
/// The broker assigns `baseOffset` when it appends a batch; the CRC does not cover it, so it is
/// kept beside the rest of the bytes and assigning it copies nothing. The rest is a slice: a
/// batch can be a view into a request frame or a read chunk without being copied out of it.
///
/// Layout (big-endian): baseOffset i64, batchLength i32, partitionLeaderEpoch i32, magic i8,
/// crc u32 (CRC-32C over attributes..end), attributes i16, lastOffsetDelta i32,
/// baseTimestamp i64, maxTimestamp i64, producerId i64, producerEpoch i16, baseSequence i32,
/// recordCount i32, then the records.
public struct RecordBatch: Hashable, Sendable {
    /// The offset of the first record.
    public var baseOffset: Int64
    /// The batch's bytes after `baseOffset`, from `batchLength` to the end (indexed from its
    /// `startIndex`, as any slice).
    public let bytesAfterBaseOffset: ArraySlice<UInt8>

    /// The size of the fixed header before the first record.
    public static let headerSize = 61
    /// Bytes before `batchLength`'s count starts: baseOffset and batchLength itself.
    public static let logOverhead = 12
    static let crcOffset = 17
    static let attributesOffset = 21
    static let maxTimestampOffset = 35
    /// Delete-horizon bit of the attributes (Kafka's 0x40): `baseTimestamp` holds the horizon.
    static let deleteHorizonBit: Int16 = 0x40

    /// Wraps bytes already known to be a valid batch (written by this codec or checked before).
    init(trusted bytes: ArraySlice<UInt8>) {
        baseOffset = Self.baseOffset(of: bytes)
        bytesAfterBaseOffset = bytes.dropFirst(8)
    }

    /// Checks `bytes` as a complete, uncompressed v2 batch whose CRC matches.
    ///
    /// - Throws: `CORRUPT_MESSAGE` when the length, magic or CRC is wrong,
    ///   `UNSUPPORTED_COMPRESSION_TYPE` for a compressed batch.
    public init(validating bytes: ArraySlice<UInt8>) throws(BrokerError) {
        guard bytes.count >= Self.headerSize else {
            throw .corrupt("\(bytes.count) bytes is shorter than the \(Self.headerSize)-byte batch header")
        }
        self.init(trusted: bytes)
        guard Int(batchLength) + Self.logOverhead == bytes.count else {
            throw .corrupt(
                "batchLength \(batchLength) says \(Int(batchLength) + Self.logOverhead) bytes, but there are \(bytes.count)")
        }
        guard magic == 2 else { throw .corrupt("magic byte is \(magic); only RecordBatch v2 (magic 2) is supported") }
        let actual = computedChecksum
        guard actual == crc else {
            throw .corrupt("CRC-32C is \(hex(actual)) but the batch says \(hex(crc))")
        }
        guard compression == 0 else {
            throw BrokerError(
                .unsupportedCompressionType,
                "the batch is compressed (codec \(compression)); EventLab stores uncompressed batches only: set compression to none")
        }
        guard recordCount >= 0, lastOffsetDelta >= 0,
              Int(recordCount) <= (bytes.count - Self.headerSize) / 7 + 1
        else {
            throw .corrupt("recordCount \(recordCount) and lastOffsetDelta \(lastOffsetDelta) do not fit the batch")
        }
    }

    /// Checks `bytes` as a complete, uncompressed v2 batch whose CRC matches.
    public init(validating bytes: [UInt8]) throws(BrokerError) {
        try self.init(validating: bytes[...])
    }

    /// The number of bytes after `batchLength`.
    public var batchLength: Int32 { read(Int32.self, at: 8) }
    /// The leader epoch the broker stamped on the batch.
    public var partitionLeaderEpoch: Int32 { read(Int32.self, at: 12) }
    /// The format version: always 2 here.
    public var magic: Int8 { read(Int8.self, at: 16) }
    /// The CRC-32C the batch carries.
    public var crc: UInt32 { read(UInt32.self, at: Self.crcOffset) }
    /// Compression, timestamp type, transactional and control bits.
    public var attributes: Int16 { read(Int16.self, at: Self.attributesOffset) }
    /// The compression codec: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
    public var compression: Int { Int(attributes & 0x7) }
    /// Whether the broker stamped the batch with LogAppendTime: then every record's timestamp
    /// is `maxTimestamp`, the append time, whatever its delta says (as Kafka's readers take it).
    public var isLogAppendTime: Bool { attributes & Self.logAppendTimeBit != 0 }
    /// The last record's offset minus `baseOffset`.
    public var lastOffsetDelta: Int32 { read(Int32.self, at: 23) }
    /// The first record's timestamp, or the delete horizon once compaction set one (records
    /// count their timestamp deltas from it either way).
    public var baseTimestamp: Int64 { read(Int64.self, at: 27) }
    /// When compaction may remove the batch's tombstones (KIP-534): the first cleaning that sees
    /// them sets it to its time plus `delete.retention.ms`, in `baseTimestamp` with the
    /// attributes' delete-horizon bit, as Kafka's `deleteHorizonMs`; nil until then.
    public var deleteHorizonMs: Int64? { attributes & Self.deleteHorizonBit != 0 ? baseTimestamp : nil }
    /// The largest record timestamp.
    public var maxTimestamp: Int64 { read(Int64.self, at: Self.maxTimestampOffset) }
    /// The idempotent producer's id, or -1.
    public var producerId: Int64 { read(Int64.self, at: 43) }
    /// The idempotent producer's epoch, or -1.
    public var producerEpoch: Int16 { read(Int16.self, at: 51) }
    /// The idempotent producer's sequence number of the first record, or -1.
    public var baseSequence: Int32 { read(Int32.self, at: 53) }
    /// The number of records in the batch.
    public var recordCount: Int32 { read(Int32.self, at: 57) }

    /// The offset of the batch's last record.
    public var lastOffset: Int64 { baseOffset.addingSaturating(Int64(lastOffsetDelta)) }
    /// The offset after the batch's last record.
    public var nextOffset: Int64 { lastOffset.addingSaturating(1) }
    /// The batch's size in bytes.
    public var byteCount: Int { 8 + bytesAfterBaseOffset.count }

    /// The whole batch as one array, base offset first: a copy, for when one array is needed.
    public func encoded() -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(byteCount)
        withUnsafeBytes(of: baseOffset.bigEndian) { result.append(contentsOf: $0) }
        result += bytesAfterBaseOffset
        return result
    }

    /// This batch with its timestamp type and `maxTimestamp` set and its CRC recomputed, as
    /// Kafka's `setMaxTimestamp` rewrites a batch on append; the records and their timestamp
    /// deltas stay as the producer wrote them. The batch itself when both already hold.
    func stamped(logAppendTime: Bool, maxTimestamp: Int64) -> RecordBatch {
        let attributes = logAppendTime ? self.attributes | Self.logAppendTimeBit : self.attributes & ~Self.logAppendTimeBit
        guard attributes != self.attributes || maxTimestamp != self.maxTimestamp else { return self }
        var bytes = encoded()
        func write<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.bigEndian) { bytes.replaceSubrange(offset..<offset + MemoryLayout<T>.size, with: $0) }
        }
        write(attributes, at: Self.attributesOffset)
        write(maxTimestamp, at: Self.maxTimestampOffset)
        write(bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[Self.attributesOffset...])) }, at: Self.crcOffset)
        return RecordBatch(trusted: bytes[...])
    }

    /// The batch with `epoch` as its partition leader epoch, as a leader stamps every batch it
    /// appends; the CRC does not cover the field, so only the field changes (and nothing is
    /// copied when it already holds `epoch`).
    func stamped(leaderEpoch epoch: Int32) -> RecordBatch {
        guard epoch != partitionLeaderEpoch else { return self }
        var bytes = encoded()
        withUnsafeBytes(of: epoch.bigEndian) { bytes.replaceSubrange(12..<16, with: $0) }
        return RecordBatch(trusted: bytes[...])
    }

    /// The CRC-32C of the bytes the CRC field covers.
    public var computedChecksum: UInt32 {
        bytesAfterBaseOffset.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(Self.attributesOffset - 8)...])) }
    }

    /// The integer at `offset` of the whole batch (`offset` ≥ 8: after the base offset).
    private func read<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        let start = bytesAfterBaseOffset.startIndex + offset - 8
        for index in start..<start + MemoryLayout<T>.size {
            value = value << 8 | T(truncatingIfNeeded: bytesAfterBaseOffset[index])
        }
        return value
    }

    private static func baseOffset(of bytes: ArraySlice<UInt8>) -> Int64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | Int64($1) }
    }
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
