import EventLabCore

/// Reads whole batches from a log file in large chunks, so a sequential read costs few
/// system calls and holds only one chunk in memory.
///
/// Each batch's CRC is checked, and so are its offsets, which the CRC does not cover: they must
/// increase from batch to batch (in a segment known to have no gap, follow on) and stay below
/// the segment's end. A base offset with a flipped bit is damage,
/// never a record at a strange offset.
struct BatchReader {
    enum Step {
        case batch(RecordBatch)
        /// No more bytes.
        case end
        /// The last batch is cut short, or only zeros follow: a write that did not finish.
        case torn
        /// A complete batch that fails its checks.
        case corrupt(BrokerError)
    }

    /// Which offsets the batches ahead may hold.
    struct Offsets {
        /// The smallest base offset the next batch may have.
        var next: Int64
        /// The offset no batch may reach: the segment's end, when it is known.
        var end: Int64 = .max
        /// Whether each batch must start where the one before ended (no compaction gaps).
        var contiguous = false
    }

    /// The largest read; scans use it, small reads ask for less.
    static let maxChunk = 1 << 20
    /// The smallest read: one index interval plus a typical batch.
    static let minChunk = 1 << 16

    let file: LogFile
    private let chunkSize: Int
    private(set) var position: Int
    let end: Int
    private var offsets: Offsets
    private var chunk: [UInt8] = []
    private var chunkStart = 0

    /// A reader of `file` from `position` to `end`, whose batches must fit `offsets`, that reads
    /// about `expecting` bytes at a time.
    init(file: LogFile, position: Int, end: Int, offsets: Offsets, expecting: Int = maxChunk) {
        self.file = file
        self.position = position
        self.end = end
        self.offsets = offsets
        chunkSize = min(Self.maxChunk, max(Self.minChunk, expecting))
        chunkStart = position
    }

    /// The next batch, or why there is none.
    mutating func next() throws(BrokerError) -> Step {
        guard position < end else { return .end }
        guard end - position >= RecordBatch.logOverhead else { return .torn }
        let header = try bytes(at: position, count: RecordBatch.logOverhead)
        let length = Int(Int32(bitPattern: readUInt32(header, at: 8)))
        guard length >= RecordBatch.headerSize - RecordBatch.logOverhead else {
            if end - position <= RecordBatch.headerSize { return .torn }
            if try onlyZerosFollow() { return .torn }
            return .corrupt(BrokerError(.corruptMessage, "batch length \(length) is impossible"))
        }
        let size = length + RecordBatch.logOverhead
        guard end - position >= size else { return .torn }
        let body = try bytes(at: position, count: size)
        let batch: RecordBatch
        do throws(BrokerError) {
            batch = try RecordBatch(validating: body)
        } catch {
            if position + size == end { return .torn }
            return try onlyZerosFollow() ? .torn : .corrupt(error)
        }
        if let problem = offsetProblem(batch) { return .corrupt(BrokerError(.corruptMessage, problem)) }
        offsets.next = batch.nextOffset
        position += size
        return .batch(batch)
    }

    /// The next batch, or nil at the end.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the file and byte when the batch there is cut short or
    ///   fails its checks; the reader stays before it.
    mutating func nextBatch() throws(BrokerError) -> RecordBatch? {
        switch try next() {
        case .batch(let batch): return batch
        case .end: return nil
        case .torn: throw damage("the batch there is cut short or fails its CRC-32C check")
        case .corrupt(let error): throw damage(error.message)
        }
    }

    private func damage(_ problem: String) -> BrokerError {
        BrokerError(.corruptMessage, "\(file.path) is corrupt at byte \(position): \(problem)")
    }

    /// Why `batch`'s offsets cannot follow the batches before it, or nil if they can. Written so
    /// that no damaged value can overflow.
    private func offsetProblem(_ batch: RecordBatch) -> String? {
        let base = batch.baseOffset
        if offsets.contiguous && base != offsets.next {
            return "the batch starts at offset \(base), but the one before it ended at \(offsets.next - 1): offsets must follow on"
        }
        guard base >= offsets.next else {
            return "the batch starts at offset \(base), at or before the end of the one before it (\(offsets.next - 1)): offsets must increase"
        }
        guard base < offsets.end, Int64(batch.lastOffsetDelta) < offsets.end - base else {
            return "the batch's offsets \(base)…\(base &+ Int64(batch.lastOffsetDelta)) reach past the segment's end, \(offsets.end)"
        }
        return nil
    }

    /// Whether the rest of the file, from `position`, is all zero bytes: what a file system can
    /// leave after a crash when the size was extended but the data never written.
    private mutating func onlyZerosFollow() throws(BrokerError) -> Bool {
        var start = position
        while start < end {
            let count = min(Self.maxChunk, end - start)
            guard try file.read(at: start, count: count).allSatisfy({ $0 == 0 }) else { return false }
            start += count
        }
        return true
    }

    /// `count` bytes at `start`, as a view into the current chunk (read first if they are not in it).
    private mutating func bytes(at start: Int, count: Int) throws(BrokerError) -> ArraySlice<UInt8> {
        let chunkEnd = chunkStart + chunk.count
        if start < chunkStart || start + count > chunkEnd {
            chunkStart = start
            chunk = try file.read(at: start, count: min(max(count, chunkSize), end - start))
        }
        let from = start - chunkStart
        return chunk[from..<from + count]
    }
}
