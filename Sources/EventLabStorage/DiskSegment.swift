import EventLabCore

/// One segment of a partition on disk: `<base>.log` with the batches, `<base>.index` and
/// `<base>.timeindex`, and `<base>.meta` once it is closed. Base offsets are 20 digits, as in Kafka.
final class DiskSegment {
    let directory: String
    let baseOffset: Int64
    private(set) var info: SegmentInfo
    private(set) var index: SegmentIndex
    /// True when opening had to rebuild or extend the index or the summary, which should then
    /// be written back so the next open need not do it again.
    private(set) var wasRepaired = false
    private var openFile: LogFile?

    private init(directory: String, info: SegmentInfo, index: SegmentIndex) {
        self.directory = directory
        self.baseOffset = info.baseOffset
        self.info = info
        self.index = index
    }

    static func fileName(_ base: Int64, _ suffix: String) -> String {
        let digits = String(base)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    func path(_ suffix: String) -> String { directory + "/" + Self.fileName(baseOffset, suffix) }

    /// The log file, opened on first use.
    func file() throws(BrokerError) -> LogFile {
        if let openFile { return openFile }
        let file = try LogFile(path: path(".log"), create: true)
        openFile = file
        return file
    }

    /// Closes the log file until it is needed again, so closed segments hold no descriptor.
    func release() { openFile = nil }

    /// Creates an empty segment at `base`.
    static func create(in directory: String, base: Int64) throws(BrokerError) -> DiskSegment {
        let segment = DiskSegment(directory: directory, info: .empty(at: base), index: SegmentIndex())
        _ = try segment.file()
        return segment
    }

    /// Opens an existing segment. With `trusted` (a clean shutdown, or a closed segment) the
    /// saved summary and index are used and only the bytes after the last index entry are
    /// checked; otherwise, or when they are missing or damaged, the whole log is scanned.
    /// A torn batch at the end is cut off.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the file and position when a damaged batch is followed
    ///   by more data: that is not a torn write, and cutting would lose acknowledged batches.
    static func open(in directory: String, base: Int64, trusted: Bool) throws(BrokerError) -> DiskSegment {
        let segment = DiskSegment(directory: directory, info: .empty(at: base), index: SegmentIndex())
        let file = try segment.file()
        let size = try file.size()
        if trusted, let meta = SegmentMeta.decode(try FileSystem.read(segment.path(".meta")), base: base, logSize: size) {
            let loaded = SegmentIndex.decode(
                offsets: try FileSystem.read(segment.path(".index")), times: try FileSystem.read(segment.path(".timeindex")),
                base: base, logSize: size)
            if let loaded {
                // Check the tail after the last index entry, which also re-adds entries a
                // truncated index lost. Damage found there is left for reads to report: the
                // summary was written when the segment was whole.
                var index = loaded
                let start = index.last?.position ?? 0
                index.resume(bytesSinceLastEntry: 0, maxTimestamp: nil)
                var tail = SegmentInfo.empty(at: base)
                let end = try? segment.scan(from: start, size: size, info: &tail, index: &index, dropFirstIndexEntry: index.last != nil)
                segment.info = meta
                segment.index = end == size ? index : loaded
                segment.wasRepaired = segment.index.entries != loaded.entries
                return segment
            }
        }
        var info = SegmentInfo.empty(at: base)
        var index = SegmentIndex()
        let end = try segment.scan(from: 0, size: size, info: &info, index: &index, dropFirstIndexEntry: false)
        if end < size { try file.truncate(to: end) }
        segment.info = info
        segment.index = index
        segment.wasRepaired = true
        return segment
    }

    /// Reads batches from `start` to `size`, checking each CRC, adding them to `info` and
    /// `index`. Returns where the valid batches end.
    private func scan(
        from start: Int, size: Int, info: inout SegmentInfo, index: inout SegmentIndex, dropFirstIndexEntry: Bool
    ) throws(BrokerError) -> Int {
        var reader = BatchReader(file: try file(), position: start, end: size)
        var skipIndex = dropFirstIndexEntry
        while true {
            let position = reader.position
            switch try reader.next() {
            case .batch(let batch):
                if skipIndex {
                    skipIndex = false
                    index.resume(bytesSinceLastEntry: batch.byteCount, maxTimestamp: batch.maxTimestamp)
                } else {
                    index.add(batch, at: position)
                }
                info.add(batch)
            case .end:
                return position
            case .torn:
                return position
            case .corrupt(let problem):
                throw BrokerError(
                    .corruptMessage,
                    "\(path(".log")) is corrupt at byte \(position), \(size - position) bytes before its end: \(problem.message). "
                        + "This is damage, not a torn write, so nothing was cut; move the segment aside to open the log without it")
            }
        }
    }

    /// Appends `batch` at the end of the log file.
    func append(_ batch: RecordBatch) throws(BrokerError) {
        try file().write(batch, at: info.byteCount)
        index.add(batch, at: info.byteCount)
        info.add(batch)
    }

    /// Batches from the one holding `offset` (or the first after it), while under `maxBytes`
    /// counting `taken` already collected; each is checked against its CRC. Stops before a
    /// damaged batch if it has some, and throws if that batch is the first.
    func batches(from offset: Int64, maxBytes: Int, taken: inout Int, into result: inout [RecordBatch]) throws(BrokerError) {
        var reader = BatchReader(
            file: try file(), position: index.position(before: offset), end: info.byteCount,
            expecting: maxBytes == .max ? BatchReader.maxChunk : maxBytes - taken + SegmentIndex.interval)
        while true {
            let position = reader.position
            switch try reader.next() {
            case .batch(let batch):
                guard batch.lastOffset >= offset else { continue }
                if !result.isEmpty && taken + batch.byteCount > maxBytes { return }
                result.append(batch)
                taken += batch.byteCount
            case .end:
                return
            case .torn, .corrupt:
                // Hand over the good batches first; the next read starts at the damage and reports it.
                if !result.isEmpty { return }
                throw BrokerError(.corruptMessage, "\(path(".log")) is corrupt at byte \(position): the batch there fails its CRC-32C or length check")
            }
        }
    }

    /// The range of whole batches from the one holding `offset` (or the first after it) that
    /// fits `maxBytes` — or, with `atLeastOne`, that first batch alone if it is larger. The range
    /// is empty when nothing fits, and nil when no batch here holds `offset` or a later one.
    /// The index finds the start and the last batch start within reach; only the headers of the
    /// few batches around them are read. Damage after the first batch ends the range before it;
    /// the next fetch, starting there, reports it.
    ///
    /// - Throws: `CORRUPT_MESSAGE` when the first batch is damaged.
    func storedBytes(from offset: Int64, maxBytes: Int, atLeastOne: Bool) throws(BrokerError) -> FileBytes? {
        let file = try file()
        var headers = BatchHeaders(file: file, end: info.byteCount)
        var position = index.position(before: offset)
        var found = try headers.header(at: position)
        while let header = found, header.lastOffset < offset {
            position += header.size
            found = try headers.header(at: position)
        }
        guard let first = found else { return nil }
        guard first.size <= maxBytes || atLeastOne else { return FileBytes(file: file, position: position, count: 0) }
        var end = max(position + first.size, index.batchStart(atOrBefore: position + min(maxBytes, info.byteCount - position)))
        while let next = try? headers.header(at: end), end + next.size - position <= maxBytes {
            end += next.size
        }
        return FileBytes(file: file, position: position, count: end - position)
    }

    /// Every batch of the segment.
    func allBatches() throws(BrokerError) -> [RecordBatch] {
        var result: [RecordBatch] = []
        var taken = 0
        try batches(from: baseOffset, maxBytes: .max, taken: &taken, into: &result)
        return result
    }

    /// The first offset at or after `timestamp` in this segment, or nil.
    func offset(atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        var reader = BatchReader(
            file: try file(), position: index.position(beforeTimestamp: timestamp), end: info.byteCount,
            expecting: BatchReader.minChunk)
        while case .batch(let batch) = try reader.next() {
            guard batch.maxTimestamp >= timestamp else { continue }
            if let record = try batch.records().first(where: { $0.timestamp >= timestamp }) { return record.offset }
        }
        return nil
    }

    /// Saves the summary and the index beside the log, and syncs the log: the segment is closed.
    func close(endOffset: Int64) throws(BrokerError) {
        info.endOffset = endOffset
        try file().sync()
        try writeIndexAndMeta()
        release()
    }

    /// Writes `.index`, `.timeindex` and `.meta` from what is in memory.
    func writeIndexAndMeta() throws(BrokerError) {
        let (offsets, times) = index.encoded(base: baseOffset)
        try FileSystem.writeAtomically(path(".index"), offsets)
        try FileSystem.writeAtomically(path(".timeindex"), times)
        try FileSystem.writeAtomically(path(".meta"), SegmentMeta.encode(info))
    }

    /// Sets the offsets the segment covers, which grow when the segments after it are removed.
    func cover(until endOffset: Int64) throws(BrokerError) {
        guard info.endOffset != endOffset else { return }
        info.endOffset = endOffset
        try FileSystem.writeAtomically(path(".meta"), SegmentMeta.encode(info))
    }

    /// Removes the segment's files.
    func delete() throws(BrokerError) {
        release()
        for suffix in [".index", ".timeindex", ".meta", ".log"] { try FileSystem.remove(path(suffix)) }
    }
}
