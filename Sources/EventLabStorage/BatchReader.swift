import EventLabCore

/// Reads whole batches from a log file in large chunks, so a sequential read costs few
/// system calls and holds only one chunk in memory.
struct BatchReader {
    enum Step {
        case batch(RecordBatch)
        /// No more bytes.
        case end
        /// The last batch is cut short: a write that did not finish.
        case torn
        /// A complete batch that fails its checks.
        case corrupt(BrokerError)
    }

    /// The largest read; scans use it, small reads ask for less.
    static let maxChunk = 1 << 20
    /// The smallest read: one index interval plus a typical batch.
    static let minChunk = 1 << 16

    let file: LogFile
    private let chunkSize: Int
    private(set) var position: Int
    let end: Int
    private var chunk: [UInt8] = []
    private var chunkStart = 0

    /// A reader of `file` from `position` to `end` that reads about `expecting` bytes at a time.
    init(file: LogFile, position: Int, end: Int, expecting: Int = maxChunk) {
        self.file = file
        self.position = position
        self.end = end
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
            return end - position <= RecordBatch.headerSize ? .torn : .corrupt(BrokerError(.corruptMessage, "batch length \(length) is impossible"))
        }
        let size = length + RecordBatch.logOverhead
        guard end - position >= size else { return .torn }
        let body = try bytes(at: position, count: size)
        do throws(BrokerError) {
            let batch = try RecordBatch(validating: body)
            position += size
            return .batch(batch)
        } catch {
            return position + size == end ? .torn : .corrupt(error)
        }
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
