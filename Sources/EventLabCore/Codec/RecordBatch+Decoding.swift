extension RecordBatch {
    /// The batch's records with their absolute offsets.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the byte where a record stops making sense.
    public func records() throws(BrokerError) -> [Record] {
        let base = baseOffset
        let baseTime = baseTimestamp
        let count = Int(recordCount)
        var failure: Int?
        let bytes = bytesAfterBaseOffset
        let records = bytes.withUnsafeBytes { raw in
            [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
                var reader = ByteReader(raw, position: Self.headerSize - 8)
                do throws(ByteReader.Truncated) {
                    while initialized < count {
                        let record = try Self.readRecord(&reader, from: bytes, baseOffset: base, baseTimestamp: baseTime)
                        (buffer.baseAddress! + initialized).initialize(to: record)
                        initialized += 1
                    }
                    if reader.remaining != 0 { failure = reader.position }
                } catch {
                    failure = error.position
                }
            }
        }
        if let failure {
            throw .corrupt("the batch at offset \(base) is malformed at byte \(8 + failure)")
        }
        return records
    }

    @inline(__always)
    private static func readRecord(
        _ reader: inout ByteReader, from bytes: ArraySlice<UInt8>, baseOffset: Int64, baseTimestamp: Int64
    ) throws(ByteReader.Truncated) -> Record {
        let start = reader.position
        let length = try reader.readVarint()
        guard length > 0, length <= Int64(reader.remaining) else { throw .init(position: start) }
        let end = reader.position + Int(length)
        try reader.skip(1)  // attributes
        let timestampDelta = try reader.readVarint()
        let offsetDelta = try reader.readVarint()
        let key = try reader.readVarintRange().map { bytes[$0.lowerBound + bytes.startIndex..<$0.upperBound + bytes.startIndex] }
        let value = try reader.readVarintRange().map { bytes[$0.lowerBound + bytes.startIndex..<$0.upperBound + bytes.startIndex] }
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
