import EventLabCore

/// Walks a log file's batches by their headers alone — base offset, length, last offset delta,
/// producer fields — reading small chunks, so a fetch finds which bytes to send, and an opening
/// partition its producers' sequences, without reading the batches.
struct BatchHeaders {
    /// What a fetch, or an opening partition, needs to know of one batch.
    struct Header {
        /// Where the batch starts in the file.
        var position: Int
        /// Its size in bytes.
        var size: Int
        /// The offset of its first record.
        var baseOffset: Int64
        /// The offset of its last record.
        var lastOffset: Int64
        /// Its idempotent producer's id, epoch and base sequence, with its offsets.
        var producer: ProducerFields
    }

    /// How much is read at once: dozens of small batches' headers, or one large batch's.
    static let chunkSize = 16 << 10
    /// Bytes of the header read: all of it, up to the record count.
    static let fieldsNeeded = RecordBatch.headerSize

    let file: LogFile
    /// Where the batches end.
    let end: Int
    /// The offsets the segment covers; a batch outside them is damage (the CRC does not cover
    /// the base offset).
    let offsets: Range<Int64>
    private var chunk: [UInt8] = []
    private var chunkStart = 0

    init(file: LogFile, end: Int, offsets: Range<Int64>) {
        self.file = file
        self.end = end
        self.offsets = offsets
    }

    /// The header of the batch at `position`, or nil at the end.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the file and position when the batch cannot be whole.
    mutating func header(at position: Int) throws(BrokerError) -> Header? {
        guard position < end else { return nil }
        guard end - position >= RecordBatch.headerSize else { throw damage(at: position, "is cut short") }
        if position < chunkStart || position + Self.fieldsNeeded > chunkStart + chunk.count {
            chunkStart = position
            chunk = try file.read(at: position, count: min(Self.chunkSize, end - position))
        }
        let at = position - chunkStart
        let size = Int(Int32(bitPattern: readUInt32(chunk, at: at + 8))) + RecordBatch.logOverhead
        guard size >= RecordBatch.headerSize, size <= end - position else { throw damage(at: position, "has an impossible length") }
        let base = Int64(bitPattern: readUInt64(chunk, at: at))
        let lastDelta = Int64(Int32(bitPattern: readUInt32(chunk, at: at + 23)))
        guard offsets.contains(base), lastDelta >= 0, lastDelta < offsets.upperBound - base else {
            throw damage(at: position, "holds offsets outside the segment's \(offsets.lowerBound)…\(offsets.upperBound - 1)")
        }
        let producer = ProducerFields(
            producerId: Int64(bitPattern: readUInt64(chunk, at: at + 43)), producerEpoch: Int16(bitPattern: readUInt16(chunk, at: at + 51)),
            baseSequence: Int32(bitPattern: readUInt32(chunk, at: at + 53)), baseOffset: base, lastOffsetDelta: Int32(lastDelta))
        return Header(position: position, size: size, baseOffset: base, lastOffset: base + lastDelta, producer: producer)
    }

    private func damage(at position: Int, _ problem: String) -> BrokerError {
        BrokerError(.corruptMessage, "\(file.path) is corrupt at byte \(position): the batch there \(problem)")
    }
}
