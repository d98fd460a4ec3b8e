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
        var bytes: [UInt8] = []
        append(records[...], magic: magic, timestampType: timestampType, to: &bytes)
        return bytes
    }

    /// Stored RecordBatch v2 batches converted down for a Fetch v0–v3: one uncompressed message
    /// set of `magic`, each record at its offset, with its batch's timestamp type (a
    /// LogAppendTime batch's records carry its append time).
    ///
    /// As Kafka's down-conversion does, records before `fetchOffset` are left out (a fetch may
    /// start inside a batch, and an old consumer would take them for new ones); headers are
    /// dropped. Conversion stops after the batch that brings the set to `limit` bytes, as a
    /// fetch sends no more. The bytes are built anew: such a fetch loses the zero-copy path.
    ///
    /// - Throws: `CORRUPT_MESSAGE` when a stored batch's records do not read.
    public static func downConverting(
        _ batches: [RecordBatch], to magic: Magic, from fetchOffset: Int64, limit: Int = .max
    ) throws(BrokerError) -> [UInt8] {
        var bytes: [UInt8] = []
        // Old messages take more room than v2 records: room for half as much again, grown once.
        bytes.reserveCapacity(min(limit, batches.reduce(0) { $0 + $1.byteCount }) * 3 / 2)
        for batch in batches where bytes.count < limit {
            let records = try batch.records()
            let first = records.firstIndex { $0.offset >= fetchOffset } ?? records.endIndex
            append(records[first...], magic: magic, timestampType: batch.isLogAppendTime ? .logAppendTime : .createTime, to: &bytes)
        }
        return bytes
    }

    /// Appends `records` to `bytes` as messages of `magic`, written in place: this runs once per
    /// record of every down-converted fetch.
    private static func append(
        _ records: ArraySlice<Record>, magic: Magic, timestampType: TopicConfig.TimestampType, to bytes: inout [UInt8]
    ) {
        let proper = magic == .v0 ? LegacyMessage.minimumSize : LegacyMessage.minimumSizeV1
        let added = records.reduce(0) { $0 + LegacyMessage.logOverhead + proper + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) }
        let attributes = magic == .v1 && timestampType == .logAppendTime ? UInt8(LegacyMessage.logAppendTimeBit) : 0
        var at = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: added))
        bytes.withUnsafeMutableBytes { buffer in
            for record in records {
                let start = at
                let size = proper + (record.key?.count ?? 0) + (record.value?.count ?? 0)
                buffer.storeBytes(of: record.offset.bigEndian, toByteOffset: at, as: Int64.self)
                buffer.storeBytes(of: Int32(size).bigEndian, toByteOffset: at + 8, as: Int32.self)
                buffer[at + 16] = UInt8(bitPattern: magic.rawValue)  // crc at 12, written last
                buffer[at + 17] = attributes
                at += 18
                if magic == .v1 {
                    buffer.storeBytes(of: record.timestamp.bigEndian, toByteOffset: at, as: Int64.self)
                    at += 8
                }
                at = sized(record.key, into: buffer, at: at)
                at = sized(record.value, into: buffer, at: at)
                let crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: buffer[(start + 16)..<at]))
                buffer.storeBytes(of: crc.bigEndian, toByteOffset: start + 12, as: UInt32.self)
            }
        }
    }

    /// Writes `field` with its length (-1 for null) at `at`; returns where the next field goes.
    private static func sized(_ field: ArraySlice<UInt8>?, into buffer: UnsafeMutableRawBufferPointer, at: Int) -> Int {
        guard let field else {
            buffer.storeBytes(of: Int32(-1).bigEndian, toByteOffset: at, as: Int32.self)
            return at + 4
        }
        buffer.storeBytes(of: Int32(field.count).bigEndian, toByteOffset: at, as: Int32.self)
        field.withUnsafeBytes { source in
            if let base = source.baseAddress { (buffer.baseAddress! + at + 4).copyMemory(from: base, byteCount: source.count) }
        }
        return at + 4 + field.count
    }
}
