/// One record of a batch, read in place: its deltas and where its key and value sit in the
/// batch's bytes (positions as the reader counts them). Decoding and validation both read
/// records through it, so they agree on what a well-formed record is.
struct RecordFields {
    var timestampDelta: Int64
    var offsetDelta: Int64
    var key: Range<Int>?
    var value: Range<Int>?

    /// Reads the record at the reader's position, handing each header's key and value ranges to
    /// `header` in order.
    ///
    /// - Throws: where the record stops making sense: a length that does not fit, a header
    ///   without a key, or fields that do not end where the record's length says.
    @inline(__always)
    static func read(
        _ reader: inout ByteReader, header: (Range<Int>, Range<Int>?) -> Void
    ) throws(ByteReader.Truncated) -> RecordFields {
        let start = reader.position
        let length = try reader.readVarint()
        guard length > 0, length <= Int64(reader.remaining) else { throw .init(position: start) }
        let end = reader.position + Int(length)
        try reader.skip(1)  // attributes
        let fields = RecordFields(
            timestampDelta: try reader.readVarint(), offsetDelta: try reader.readVarint(),
            key: try reader.readVarintRange(), value: try reader.readVarintRange())
        let headerCount = try reader.readVarint()
        guard headerCount >= 0, headerCount <= Int64(end - reader.position) else { throw .init(position: start) }
        for _ in 0..<headerCount {
            guard let key = try reader.readVarintRange() else { throw .init(position: reader.position) }
            header(key, try reader.readVarintRange())
        }
        guard reader.position == end else { throw .init(position: start) }
        return fields
    }
}
