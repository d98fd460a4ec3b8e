extension RecordBatch {
    /// Encodes `records` as one uncompressed batch, CreateTime, no producer id.
    ///
    /// The first record's offset becomes `baseOffset`; the others keep their offsets as deltas,
    /// so a compacted batch keeps its gaps. With `deleteHorizonMs`, the base timestamp holds the
    /// horizon and the delete-horizon bit is set, as Kafka's cleaner writes a batch whose
    /// tombstones it has seen; the records' deltas count from it, so they read as before.
    ///
    /// - Precondition: `records` is not empty and its offsets ascend.
    public init(records: [Record], partitionLeaderEpoch: Int32 = 0, deleteHorizonMs: Int64? = nil) {
        precondition(!records.isEmpty, "a record batch holds at least one record")
        self.init(
            records: records, baseOffset: records[0].offset, lastOffset: records[records.count - 1].offset,
            partitionLeaderEpoch: partitionLeaderEpoch, producer: (id: -1, epoch: -1, baseSequence: -1),
            deleteHorizonMs: deleteHorizonMs)
    }

    /// The records of `batch` that compaction keeps, as one uncompressed CreateTime batch that
    /// keeps `batch`'s offset range, producer id, epoch and base sequence, as Kafka's cleaner
    /// rebuilds a batch: the removed records' offsets stay inside it, so its sequence numbers
    /// still map to offsets and a restarted broker learns the producer's last sequence from it.
    /// With `deleteHorizonMs`, the batch carries its tombstones' delete horizon, as above.
    ///
    /// - Precondition: `survivors` is not empty, its offsets ascend and lie within `batch`.
    public init(retaining survivors: [Record], of batch: RecordBatch, deleteHorizonMs: Int64? = nil) {
        precondition(!survivors.isEmpty, "a record batch holds at least one record")
        self.init(
            records: survivors, baseOffset: batch.baseOffset, lastOffset: batch.lastOffset,
            partitionLeaderEpoch: batch.partitionLeaderEpoch,
            producer: (id: batch.producerId, epoch: batch.producerEpoch, baseSequence: batch.baseSequence),
            deleteHorizonMs: deleteHorizonMs)
    }

    private init(
        records: [Record], baseOffset: Int64, lastOffset: Int64, partitionLeaderEpoch: Int32,
        producer: (id: Int64, epoch: Int16, baseSequence: Int32), deleteHorizonMs: Int64?
    ) {
        let baseTimestamp = deleteHorizonMs ?? records[0].timestamp
        var writer = ByteWriter(capacity: Self.headerSize + records.reduce(0) { $0 + 24 + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) })
        writer.write(baseOffset)
        writer.write(Int32(0))  // batchLength, set below
        writer.write(partitionLeaderEpoch)
        writer.write(Int8(2))
        writer.write(UInt32(0))  // crc, set below
        writer.write(deleteHorizonMs == nil ? 0 : Self.deleteHorizonBit)  // attributes
        writer.write(Int32(lastOffset - baseOffset))
        writer.write(baseTimestamp)
        writer.write(records.map(\.timestamp).max() ?? records[0].timestamp)
        writer.write(producer.id)
        writer.write(producer.epoch)
        writer.write(producer.baseSequence)
        writer.write(Int32(records.count))
        for record in records {
            Self.write(record, baseOffset: baseOffset, baseTimestamp: baseTimestamp, into: &writer)
        }
        writer.overwrite(Int32(writer.count - Self.logOverhead), at: 8)
        let checksum = writer.bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[Self.attributesOffset...]))
        }
        writer.overwrite(checksum, at: Self.crcOffset)
        self.init(trusted: writer.bytes[...])
    }

    private static func write(_ record: Record, baseOffset: Int64, baseTimestamp: Int64, into writer: inout ByteWriter) {
        // Deltas wrap as Java's longs do, so records at −2^63 and 2^63−1 share a batch and
        // decode (base &+ delta) to what they were.
        let timestampDelta = record.timestamp &- baseTimestamp
        let offsetDelta = record.offset &- baseOffset
        let headerKeys = record.headers.map { Array($0.key.utf8) }
        writer.writeVarint(Int64(record.bodySize(baseOffset: baseOffset, baseTimestamp: baseTimestamp)))
        writer.write(Int8(0))  // attributes
        writer.writeVarint(timestampDelta)
        writer.writeVarint(offsetDelta)
        writer.writeVarintBytes(record.key)
        writer.writeVarintBytes(record.value)
        writer.writeVarint(Int64(record.headers.count))
        for (header, key) in zip(record.headers, headerKeys) {
            writer.writeVarintBytes(key)
            writer.writeVarintBytes(header.value)
        }
    }
}

extension Record {
    /// The bytes this record takes in a batch whose first record has `baseOffset` and
    /// `baseTimestamp`, its length prefix included.
    public func sizeInBatch(baseOffset: Int64, baseTimestamp: Int64) -> Int {
        let body = bodySize(baseOffset: baseOffset, baseTimestamp: baseTimestamp)
        return ByteWriter.varintSize(Int64(body)) + body
    }

    /// The bytes after the record's length prefix.
    func bodySize(baseOffset: Int64, baseTimestamp: Int64) -> Int {
        var size = 1 + ByteWriter.varintSize(timestamp &- baseTimestamp) + ByteWriter.varintSize(offset &- baseOffset)
            + ByteWriter.varintBytesSize(key) + ByteWriter.varintBytesSize(value)
            + ByteWriter.varintSize(Int64(headers.count))
        for header in headers {
            size += ByteWriter.varintBytesSize(Array(header.key.utf8)) + ByteWriter.varintBytesSize(header.value)
        }
        return size
    }
}
