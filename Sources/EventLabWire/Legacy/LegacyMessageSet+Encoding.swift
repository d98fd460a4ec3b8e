import EventLabCore

extension LegacyMessageSet {
    /// `records` as an uncompressed message set of `magic`, byte for byte as Kafka writes one:
    /// each record one message at its own offset, attributes 0 but for the LogAppendTime bit
    /// (magic 1 only), the record's timestamp (magic 1 only: magic 0 has no field for it).
    ///
    /// Headers are dropped: neither format has a place for them, and Kafka drops them too when
    /// it converts down for an old consumer.
    public static func encode(
        _ records: [Record], magic: Magic, timestampType: TopicConfig.TimestampType = .createTime
    ) -> [UInt8] {
        let overhead = LegacyMessage.logOverhead + (magic == .v0 ? LegacyMessage.minimumSize : LegacyMessage.minimumSizeV1)
        var writer = ByteWriter(capacity: records.reduce(0) { $0 + overhead + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) })
        let attributes = magic == .v1 && timestampType == .logAppendTime ? LegacyMessage.logAppendTimeBit : 0
        for record in records {
            let start = writer.count
            writer.write(record.offset)
            writer.write(Int32(0))  // size, set below
            writer.write(UInt32(0))  // crc, set below
            writer.write(magic.rawValue)
            writer.write(attributes)
            if magic == .v1 { writer.write(record.timestamp) }
            writeSized(record.key, into: &writer)
            writeSized(record.value, into: &writer)
            writer.overwrite(Int32(writer.count - start - LegacyMessage.logOverhead), at: start + 8)
            writer.overwrite(CRC32.checksum(writer.bytes[(start + 16)...]), at: start + 12)
        }
        return writer.bytes
    }

    /// Stored RecordBatch v2 batches converted down for a Fetch v0–v3: one uncompressed message
    /// set of `magic`, each record at its offset, with its batch's timestamp type (a
    /// LogAppendTime batch's records carry its append time).
    ///
    /// As Kafka's down-conversion does, records before `fetchOffset` are left out (a fetch may
    /// start inside a batch, and an old consumer would take them for new ones); headers are
    /// dropped. The bytes are built anew: such a fetch loses the zero-copy path.
    ///
    /// - Throws: `CORRUPT_MESSAGE` when a stored batch's records do not read.
    public static func downConverting(
        _ batches: [RecordBatch], to magic: Magic, from fetchOffset: Int64
    ) throws(BrokerError) -> [UInt8] {
        var bytes: [UInt8] = []
        for batch in batches {
            let records = try batch.records().filter { $0.offset >= fetchOffset }
            bytes += encode(records, magic: magic, timestampType: batch.isLogAppendTime ? .logAppendTime : .createTime)
        }
        return bytes
    }

    private static func writeSized(_ bytes: ArraySlice<UInt8>?, into writer: inout ByteWriter) {
        guard let bytes else { return writer.write(Int32(-1)) }
        writer.write(Int32(bytes.count))
        writer.write(bytes: bytes)
    }
}
