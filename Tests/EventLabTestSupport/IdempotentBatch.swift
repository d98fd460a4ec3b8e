import EventLabCore

/// A batch from idempotent producer `id` at `epoch` whose first record is numbered `sequence`,
/// one record per key (nil: no key) valued `s<its sequence>`, encoded as a real client encodes
/// it: offsets from 0, producer fields set, CRC over them.
public func idempotentBatch(id: Int64 = 7, epoch: Int16 = 0, sequence: Int32, keys: [String?] = [nil]) throws -> RecordBatch {
    let records = keys.enumerated().map { index, key in
        Record(offset: Int64(index), timestamp: 1, key: key.map(bytes), value: bytes("s\(Int(sequence) + index)"))
    }
    var encoded = RecordBatch(records: records).encoded()
    encoded.replaceSubrange(43..<57, with: withUnsafeBytes(of: id.bigEndian, Array.init)
        + withUnsafeBytes(of: epoch.bigEndian, Array.init) + withUnsafeBytes(of: sequence.bigEndian, Array.init))
    let crc = CRC32C.checksum(encoded[21...])
    encoded.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
    return try RecordBatch(validating: encoded)
}
