import EventLabCore

/// One segment of a partition on disk: `<base>.log` with the batches, `<base>.index` and
/// `<base>.timeindex`, and `<base>.meta` once it is closed. Base offsets are 20 digits, as in Kafka.
///
/// The batches of an active segment follow on from one another without a gap, so that opening
/// after a crash can tell a flipped bit in a base offset from a record: unless the empty file
/// `<base>.gaps` is beside it, written before the first batch that skips offsets — a copy of a
/// leader's batch after its compaction's gap, or a compacted segment that truncation made active.
final class DiskSegment {
    let directory: String
    let baseOffset: Int64
    private(set) var info: SegmentInfo
    private(set) var index: SegmentIndex
    /// True when opening had to rebuild or extend the index or the summary, which should then
    /// be written back so the next open need not do it again.
    private(set) var wasRepaired = false
    /// True when `info` is the summary saved when the segment closed, rather than what a scan
    /// found: then its end offset is exactly where the next segment starts.
    private(set) var hasSavedSummary = false
    private let files: FileCache
    /// Set when a failed append left bytes that could not be cut off.
    private var unrepairedTail: BrokerError?

    private init(directory: String, info: SegmentInfo, index: SegmentIndex, files: FileCache) {
        self.directory = directory
        self.files = files
        self.baseOffset = info.baseOffset
        self.info = info
        self.index = index
    }

    /// The marker that lets the active segment's batches skip offsets.
    static let gapsSuffix = ".gaps"

    /// Whether the segment's batches may skip offsets even while it is active (see the type).
    private(set) var allowsGaps = false

    static func fileName(_ base: Int64, _ suffix: String) -> String {
        let digits = String(base)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The base offset a segment's log file is named by, or nil if `name` is not one: exactly 20
    /// digits and `.log`, as Kafka names them. Anything else beside the segments is not a segment.
    static func baseOffset(ofLogFile name: String) -> Int64? {
        let utf8 = Array(name.utf8)
        guard utf8.count == 24, name.hasSuffix(".log"), utf8.prefix(20).allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int64(name.prefix(20))
    }

    func path(_ suffix: String) -> String { directory + "/" + Self.fileName(baseOffset, suffix) }

    /// The log file, from the workspace's cache of open files.
    func file() throws(BrokerError) -> LogFile {
        try files.file(path(".log"))
    }

    /// Closes the log file until it is needed again: before it is removed or replaced.
    func release() { files.forget(path(".log")) }

    /// Creates an empty segment at `base`.
    static func create(in directory: String, base: Int64, files: FileCache) throws(BrokerError) -> DiskSegment {
        let segment = DiskSegment(directory: directory, info: .empty(at: base), index: SegmentIndex(), files: files)
        _ = try segment.file()
        return segment
    }

    /// A closed segment just written whole, whose summary and index are known: nothing to read.
    static func written(in directory: String, info: SegmentInfo, index: SegmentIndex, files: FileCache) -> DiskSegment {
        let segment = DiskSegment(directory: directory, info: info, index: index, files: files)
        segment.hasSavedSummary = true
        return segment
    }

    /// Opens an existing segment. A closed segment — or the active one after a clean shutdown —
    /// is opened from its saved summary and index, checking only the bytes after the last index
    /// entry; otherwise, or when they are missing or damaged, the whole log is scanned. Only the
    /// active segment can have a torn batch at its end (a write a crash cut short), and it is cut
    /// off; a closed segment was synced whole before it closed, so anything missing from it is
    /// damage.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the file and position when a damaged batch is followed
    ///   by more data, or a closed segment is shorter or longer than its summary or ends in a
    ///   torn batch: that is not a torn write, and cutting would lose acknowledged batches.
    static func open(
        in directory: String, base: Int64, closed: Bool, cleanShutdown: Bool, files: FileCache
    ) throws(BrokerError) -> DiskSegment {
        let segment = DiskSegment(directory: directory, info: .empty(at: base), index: SegmentIndex(), files: files)
        let file = try segment.file()
        let size = try file.size()
        if closed || cleanShutdown, let meta = SegmentMeta.decode(try FileSystem.read(segment.path(".meta")), base: base) {
            if meta.byteCount == size {
                try segment.load(meta, size: size)
                return segment
            }
            if closed {
                throw BrokerError(
                    .corruptMessage,
                    "\(segment.path(".log")) is \(size) bytes, but its summary (.meta) says the closed segment held \(meta.byteCount): "
                        + "part of it is missing or was added since. Nothing was changed; restore the file from a copy, or move the segment's files aside")
            }
        }
        var info = SegmentInfo.empty(at: base)
        var index = SegmentIndex()
        segment.allowsGaps = FileSystem.exists(segment.path(gapsSuffix))
        let offsets = BatchReader.Offsets(next: base, contiguous: !closed && !segment.allowsGaps)
        let end = try segment.scan(from: 0, size: size, offsets: offsets, info: &info, index: &index, dropFirstIndexEntry: false)
        if end < size {
            guard !closed else { throw segment.damage(at: end, size: size, "the closed segment ends in an incomplete batch") }
            try file.truncate(to: end)
        }
        segment.info = info
        segment.index = index
        segment.wasRepaired = true
        return segment
    }

    /// Takes a summary and index saved when the segment was whole, checking the tail after the
    /// last index entry, which also re-adds entries a truncated index lost. Damage found there is
    /// left for reads to report.
    private func load(_ meta: SegmentInfo, size: Int) throws(BrokerError) {
        info = meta
        hasSavedSummary = true
        guard let loaded = SegmentIndex.decode(
            offsets: try FileSystem.read(path(".index")), times: try FileSystem.read(path(".timeindex")),
            base: baseOffset, logSize: size)
        else {
            var rebuilt = SegmentIndex()
            var scanned = SegmentInfo.empty(at: baseOffset)
            let offsets = BatchReader.Offsets(next: baseOffset, end: meta.endOffset)
            _ = try? scan(from: 0, size: size, offsets: offsets, info: &scanned, index: &rebuilt, dropFirstIndexEntry: false)
            index = rebuilt
            wasRepaired = true
            return
        }
        var extended = loaded
        let last = loaded.last
        extended.resume(bytesSinceLastEntry: 0, maxTimestamp: nil)
        var tail = SegmentInfo.empty(at: baseOffset)
        let offsets = BatchReader.Offsets(next: last?.offset ?? baseOffset, end: meta.endOffset)
        let end = try? scan(from: last?.position ?? 0, size: size, offsets: offsets, info: &tail, index: &extended, dropFirstIndexEntry: last != nil)
        index = end == size ? extended : loaded
        wasRepaired = index.entries != loaded.entries
    }

    /// Reads batches from `start` to `size`, checking each CRC and its offsets, adding them to
    /// `info` and `index`. Returns where the valid batches end.
    private func scan(
        from start: Int, size: Int, offsets: BatchReader.Offsets, info: inout SegmentInfo, index: inout SegmentIndex,
        dropFirstIndexEntry: Bool
    ) throws(BrokerError) -> Int {
        var reader = BatchReader(file: try file(), position: start, end: size, offsets: offsets)
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
            case .end, .torn:
                return position
            case .corrupt(let problem):
                throw damage(at: position, size: size, problem.message)
            }
        }
    }

    /// Damage found while opening: it names the file and byte, and says that nothing was cut.
    private func damage(at position: Int, size: Int, _ problem: String) -> BrokerError {
        BrokerError(
            .corruptMessage,
            "\(path(".log")) is corrupt at byte \(position), \(size - position) bytes before its end: \(problem). "
                + "This is damage, not a torn write, so nothing was cut; move the segment aside to open the log without it")
    }

    /// Lets the batches skip offsets from now on, even while the segment is active: writes its
    /// `.gaps` marker, durably, before any such batch is written.
    func allowGapsFromNowOn() throws(BrokerError) {
        guard !allowsGaps else { return }
        try FileSystem.writeAtomically(path(Self.gapsSuffix), [])
        allowsGaps = true
    }

    /// Appends `batch` at the end of the log file (unsynced). A write that fails (a full disk)
    /// is cut back off the file, so the segment holds whole batches only and the next append
    /// starts at the last good byte.
    ///
    /// - Throws: the storage error; the segment is as it was. If even cutting back fails, every
    ///   later append is refused until the workspace is opened again, which repairs the tail.
    func append(_ batch: RecordBatch) throws(BrokerError) {
        try write(batch)
        commit(batch)
    }

    /// Writes `batch` after the segment's last byte without making it part of the segment:
    /// reads stop at the segment's end, so nobody sees it until ``commit(_:)``. A write that
    /// fails is cut back off, as in ``append(_:)``.
    ///
    /// - Returns: the log file, for the sync the batch waits for.
    @discardableResult
    func write(_ batch: RecordBatch) throws(BrokerError) -> LogFile {
        if let unrepairedTail { throw unrepairedTail }
        let file = try file()
        do throws(BrokerError) {
            try file.write(batch, at: info.byteCount)
        } catch {
            cutBack(after: error)
            throw error
        }
        return file
    }

    /// Makes the batch ``write(_:)`` wrote part of the segment.
    func commit(_ batch: RecordBatch) {
        index.add(batch, at: info.byteCount)
        info.add(batch)
    }

    /// Cuts whatever follows the segment's last batch off the file: a batch whose write or
    /// sync failed. If that fails too, later appends are refused (see ``append(_:)``).
    func cutBack(after error: BrokerError) {
        do throws(BrokerError) {
            try file().truncate(to: info.byteCount)
        } catch let cut {
            unrepairedTail = BrokerError(
                .kafkaStorageError,
                "an append to \(path(".log")) failed (\(error.message)) and the partial batch could not be cut off (\(cut.message)): "
                    + "nothing more is written to this partition until EventLab opens the workspace again, which cuts it")
        }
    }

    /// Batches from the one holding `offset` (or the first after it), while under `maxBytes`
    /// counting `taken` already collected; each is checked against its CRC and its offsets.
    /// Stops before a damaged batch if it has some — the next read starts there and reports it —
    /// and throws if that batch is the first.
    ///
    /// - Returns: whether it read to the end of the segment (rather than stopping at the budget
    ///   or at damage), so the caller may go on to the next segment.
    @discardableResult
    func batches(from offset: Int64, maxBytes: Int, taken: inout Int, into result: inout [RecordBatch]) throws(BrokerError) -> Bool {
        let start = index.position(before: offset)
        var reader = BatchReader(
            file: try file(), position: start, end: info.byteCount, offsets: readableOffsets(from: start),
            expecting: maxBytes == .max ? BatchReader.maxChunk : maxBytes - taken + SegmentIndex.interval)
        do throws(BrokerError) {
            var first = true
            while let batch = try reader.nextBatch() {
                if first { try checkIndexed(batch.baseOffset, maxTimestamp: batch.maxTimestamp, at: start) }
                first = false
                guard batch.lastOffset >= offset else { continue }
                if !result.isEmpty && taken + batch.byteCount > maxBytes { return false }
                result.append(batch)
                taken += batch.byteCount
            }
            return true
        } catch {
            if !result.isEmpty { return false }
            throw error
        }
    }

    /// The offsets a read from byte `position` may meet: up to the segment's end, and — in a
    /// segment without compaction gaps, where every offset it covers holds a record — each batch
    /// following on from the one before, from the batch the index places at `position`.
    private func readableOffsets(from position: Int) -> BatchReader.Offsets {
        let gapless = Int64(info.recordCount) == info.endOffset - baseOffset
        let first = position == 0 ? baseOffset : index.entry(at: position)?.offset
        return BatchReader.Offsets(next: first ?? baseOffset, end: info.endOffset, contiguous: gapless && first != nil)
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
        var headers = BatchHeaders(file: file, end: info.byteCount, offsets: baseOffset..<info.endOffset)
        var position = index.position(before: offset)
        var found = try headers.header(at: position)
        try checkIndexed(found?.baseOffset, at: position)
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

    /// Checks that the batch found at `position` is the one the index says: it starts at the
    /// entry's offset, and its newest timestamp is within the entry's newest so far. The index
    /// is not covered by any checksum, and an entry that points past the batch it names, or
    /// understates the times before it, would start a read after records it should return.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the index, the position and what disagrees.
    private func checkIndexed(_ base: Int64?, maxTimestamp: Int64? = nil, at position: Int) throws(BrokerError) {
        guard let base, let entry = index.entry(at: position) else { return }
        let problem: String
        if entry.offset != base {
            problem = "\(path(".index")) says the batch at byte \(position) of \(path(".log")) starts at offset \(entry.offset), but it starts at \(base)"
        } else if let maxTimestamp, maxTimestamp > entry.maxTimestamp {
            problem = "\(path(".timeindex")) says the records up to offset \(base) are no newer than \(entry.maxTimestamp), but the batch there holds \(maxTimestamp)"
        } else {
            return
        }
        throw BrokerError(
            .corruptMessage,
            problem + ": the index is damaged. Nothing was read; remove the .index and .timeindex files and open the workspace again to rebuild them")
    }

    /// Every batch of the segment.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming file and byte for damage anywhere in it: what rewrites
    ///   a segment must never take the good part before the damage for the whole.
    func allBatches() throws(BrokerError) -> [RecordBatch] {
        var reader = BatchReader(file: try file(), position: 0, end: info.byteCount, offsets: readableOffsets(from: 0))
        var result: [RecordBatch] = []
        while let batch = try reader.nextBatch() { result.append(batch) }
        return result
    }

    /// The producer fields of every batch, read from their headers alone.
    ///
    /// - Throws: `CORRUPT_MESSAGE` when a header is damaged.
    func producerFields() throws(BrokerError) -> [ProducerFields] {
        var headers = BatchHeaders(file: try file(), end: info.byteCount, offsets: baseOffset..<info.endOffset)
        var result: [ProducerFields] = []
        var position = 0
        while let header = try headers.header(at: position) {
            result.append(header.producer)
            position += header.size
        }
        return result
    }

    /// Where truncating the log at `offset` cuts this segment: the byte at which the first batch
    /// whose last offset is at or after `offset` starts (the segment's size if none does), and
    /// the offset after the last batch before that byte (nil if none is). Reads batch headers
    /// from the index entry before `offset`, going back an entry when the batch there is cut.
    func cutPoint(at offset: Int64) throws(BrokerError) -> (position: Int, end: Int64?) {
        var from = index.position(before: offset)
        while true {
            var headers = BatchHeaders(file: try file(), end: info.byteCount, offsets: baseOffset..<info.endOffset)
            var position = from
            var end: Int64?
            while let header = try headers.header(at: position), header.lastOffset < offset {
                end = header.lastOffset + 1
                position += header.size
            }
            if end != nil || from == 0 { return (position, end) }
            from = index.batchStart(atOrBefore: from - 1)
        }
    }

    /// The first offset at or after `timestamp` in this segment, or nil.
    func offset(atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        let start = index.position(beforeTimestamp: timestamp)
        var reader = BatchReader(
            file: try file(), position: start, end: info.byteCount, offsets: readableOffsets(from: start), expecting: BatchReader.minChunk)
        var first = true
        while let batch = try reader.nextBatch() {
            if first { try checkIndexed(batch.baseOffset, maxTimestamp: batch.maxTimestamp, at: start) }
            first = false
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
    /// Saving the summary is best effort: if it fails (a full disk), the next open finds the
    /// same end from the segment that follows.
    func cover(until endOffset: Int64) {
        guard info.endOffset != endOffset else { return }
        info.endOffset = endOffset
        try? FileSystem.writeAtomically(path(".meta"), SegmentMeta.encode(info))
    }

    /// Removes the segment's files; its blocks are freed once ``FileCache/closeLater(_:)``
    /// closes the log, after the broker's lock.
    func delete() throws(BrokerError) {
        let log = files.take(path(".log")).map { [$0] } ?? []
        for suffix in [".index", ".timeindex", ".meta", Self.gapsSuffix, ".log"] { try FileSystem.remove(path(suffix)) }
        files.closeLater(consume log)
    }
}
