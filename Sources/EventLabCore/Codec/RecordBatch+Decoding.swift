extension RecordBatch {
    /// The batch's records with their absolute offsets.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the byte where a record stops making sense.
    public func records() throws(BrokerError) -> [Record] {
        let base = baseOffset
        let baseTime = baseTimestamp
        let appendTime = isLogAppendTime ? maxTimestamp : nil
        let count = Int(recordCount)
        var failure: Int?
        let bytes = bytesAfterBaseOffset
        let records = bytes.withUnsafeBytes { raw in
            [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
                var reader = ByteReader(raw, position: Self.headerSize - 8)
                do throws(ByteReader.Truncated) {
                    while initialized < count {
                        let record = try Self.readRecord(&reader, from: bytes, baseOffset: base, baseTimestamp: baseTime, appendTime: appendTime)
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
        _ reader: inout ByteReader, from bytes: ArraySlice<UInt8>, baseOffset: Int64, baseTimestamp: Int64, appendTime: Int64?
    ) throws(ByteReader.Truncated) -> Record {
        func slice(_ range: Range<Int>) -> ArraySlice<UInt8> {
            bytes[range.lowerBound + bytes.startIndex..<range.upperBound + bytes.startIndex]
        }
        var headers: [RecordHeader] = []
        let fields = try RecordFields.read(&reader) { key, value in
            headers.append(RecordHeader(key: String(decoding: slice(key), as: UTF8.self), value: value.map { Array(slice($0)) }))
        }
        return Record(
            offset: baseOffset &+ fields.offsetDelta, timestamp: appendTime ?? baseTimestamp &+ fields.timestampDelta,
            key: fields.key.map(slice), value: fields.value.map(slice), headers: headers)
    }
}
