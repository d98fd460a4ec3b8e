extension RecordBatch {
    /// The batch's records with their absolute offsets.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the byte where a record stops making sense.
    public func records() throws(BrokerError) -> [Record] {
        let base = baseOffset
        let baseTime = baseTimestamp
        let count = Int(recordCount)
        do throws(ByteReader.Truncated) {
            return try ByteReader.reading(bytes, from: Self.headerSize) { reader throws(ByteReader.Truncated) in
                var records: [Record] = []
                records.reserveCapacity(count)
                for _ in 0..<count {
                    records.append(try Self.readRecord(&reader, baseOffset: base, baseTimestamp: baseTime))
                }
                guard reader.remaining == 0 else { throw ByteReader.Truncated(position: reader.position) }
                return records
            }
        } catch {
            throw .corrupt("the batch at offset \(base) is malformed at byte \(error.position)")
        }
    }

    private static func readRecord(
        _ reader: inout ByteReader, baseOffset: Int64, baseTimestamp: Int64
    ) throws(ByteReader.Truncated) -> Record {
        let start = reader.position
        let length = try reader.readVarint()
        guard length > 0, length <= Int64(reader.remaining) else { throw .init(position: start) }
        let end = reader.position + Int(length)
        try reader.skip(1)  // attributes
        let timestampDelta = try reader.readVarint()
        let offsetDelta = try reader.readVarint()
        let key = try reader.readVarintBytes()
        let value = try reader.readVarintBytes()
        let headerCount = try reader.readVarint()
        guard headerCount >= 0, headerCount <= Int64(end - reader.position) else { throw .init(position: start) }
        var headers: [RecordHeader] = []
        for _ in 0..<headerCount {
            guard let key = try reader.readVarintBytes() else { throw .init(position: reader.position) }
            headers.append(RecordHeader(key: String(decoding: key, as: UTF8.self), value: try reader.readVarintBytes()))
        }
        guard reader.position == end else { throw .init(position: start) }
        return Record(
            offset: baseOffset &+ offsetDelta, timestamp: baseTimestamp &+ timestampDelta,
            key: key, value: value, headers: headers)
    }
}
