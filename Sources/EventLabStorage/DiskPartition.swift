import EventLabCore

/// One partition's segments on disk, in a directory of its own.
///
/// Crash safety: a batch is written before `append` returns, and one the flush policy syncs
/// counts only once its sync succeeded;
/// retention records the new log start after deleting files, DeleteRecords (``advanceLogStart(to:)``)
/// before; compaction writes the cleaned
/// segments under `staging/` with `compaction.swap`, the manifest naming the old and new
/// segments, and syncs them (outside the broker's lock, ``DiskClosedSegments``); it moves them
/// beside the old ones as `.cleaned` files, the manifest last — the moment it takes effect once
/// the directory is synced — before swapping the files. Opening finishes
/// or discards whatever a crash interrupted, so a reader sees the old segments or the new,
/// never a mix.
public final class DiskPartition: PartitionStorage {
    /// The partition's directory.
    public let directory: String
    private let policy: FlushPolicy
    private let files: FileCache
    /// Where compaction prepares this partition's cleaned segments.
    private let scratch: String
    private var diskSegments: [DiskSegment]
    public private(set) var logStartOffset: Int64
    private var lastSync = ContinuousClock.now
    /// A batch written to the active segment and waiting for its sync.
    private var unsynced: (segment: DiskSegment, batch: RecordBatch)?
    /// Whether the clean-shutdown marker is on disk; it goes at the first change, so a session
    /// that only reads leaves the partition as cleanly closed as it found it.
    private var isMarkedClean: Bool

    static let cleanShutdownMarker = "clean-shutdown"
    /// How many replaced logs a compaction's swap closes after the lock rather than under it.
    static let logsClosedLater = 8
    static let logStartFile = "log-start-offset"
    /// The cleaner checkpoint: the first offset compaction has not cleaned yet.
    static let checkpointFile = "cleaner-offset-checkpoint"

    /// Creates an empty partition in `directory`, which must not hold one yet.
    static func create(in directory: String, policy: FlushPolicy, files: FileCache, scratch: String) throws(BrokerError) -> DiskPartition {
        try FileSystem.createDirectory(directory)
        let segment = try DiskSegment.create(in: directory, base: 0, files: files)
        return DiskPartition(directory: directory, policy: policy, files: files, scratch: scratch, segments: [segment], logStart: 0)
    }

    /// Opens the partition in `directory`, recovering from whatever a crash left.
    ///
    /// Nothing is deleted on the word of a small file alone: the log-start offset must lie within
    /// the log, segments must follow one another, and an interrupted compaction's new segments
    /// must be on disk whole before the old ones go.
    ///
    /// - Throws: `CORRUPT_MESSAGE` or `KAFKA_STORAGE_ERROR` naming the file and what is wrong,
    ///   having removed nothing.
    static func open(in directory: String, policy: FlushPolicy, files: FileCache, scratch: String) throws(BrokerError) -> DiskPartition {
        let clean = FileSystem.exists(directory + "/" + cleanShutdownMarker)
        let compacted = try CompactionSwap.finishInterrupted(in: directory)
        let names = try FileSystem.list(directory)
        let bases = names.compactMap(DiskSegment.baseOffset(ofLogFile:))
        // A summary is removed before its log (and compaction renames before it removes), so a
        // summary without its log means the log went missing.
        let logs = Set(names.filter { $0.hasSuffix(".log") })
        for name in names where name.hasSuffix(".meta") && name.utf8.count == 25 && !logs.contains(String(name.dropLast(5)) + ".log") {
            throw BrokerError(
                .corruptMessage,
                "\(directory)/\(name) summarises a segment whose log, \(name.dropLast(5)).log, is missing. "
                    + "Nothing was changed; restore the log from a copy, or remove the summary if the segment was meant to go")
        }
        let savedStart = try readLogStart(in: directory)
        var segments: [DiskSegment] = []
        for (position, base) in bases.enumerated() {
            let closed = position < bases.count - 1
            let segment = try DiskSegment.open(in: directory, base: base, closed: closed, cleanShutdown: clean, files: files)
            if let until = compacted[base] { segment.cover(until: until) }
            segments.append(segment)
        }
        try checkSequence(segments)
        let logEnd = segments.last?.info.endOffset ?? 0
        if let savedStart, savedStart > logEnd {
            throw BrokerError(
                .kafkaStorageError,
                "\(directory)/\(logStartFile) says the log starts at offset \(savedStart), beyond its end (\(logEnd)): "
                    + "believing it would delete every record. Nothing was removed; correct the file (at most \(logEnd)) or remove it")
        }
        let logStart = savedStart ?? 0
        // A closed segment, or any after a clean shutdown, is complete: keep its repairs — if
        // the disk has room; they only save the next open a scan.
        for segment in segments where segment.wasRepaired && (clean || segment !== segments.last) {
            try? segment.writeIndexAndMeta()
        }
        // Segments wholly before the log start: retention decided to delete them before a crash stopped it.
        while segments.count > 1, segments[1].baseOffset <= logStart {
            try segments.removeFirst().delete()
        }
        if segments.isEmpty { segments = [try DiskSegment.create(in: directory, base: logStart, files: files)] }
        for (position, segment) in segments.enumerated().dropLast() {
            segment.cover(until: segments[position + 1].baseOffset)
            segment.release()
        }
        let partition = DiskPartition(
            directory: directory, policy: policy, files: files, scratch: scratch, segments: segments, logStart: logStart, markedClean: clean)
        partition.cleanerCheckpoint = try readCheckpoint(in: directory)
        return partition
    }

    /// The saved cleaner checkpoint, or 0 (all dirty) when there is none or it is not a number:
    /// it decides only when compaction runs, so a damaged one is not worth refusing the partition.
    private static func readCheckpoint(in directory: String) throws(BrokerError) -> Int64 {
        guard let bytes = try FileSystem.read(directory + "/" + checkpointFile) else { return 0 }
        return Int64(String(decoding: bytes, as: UTF8.self).split(separator: "\n").first ?? "") ?? 0
    }

    public private(set) var cleanerCheckpoint: Int64 = 0

    public func setCleanerCheckpoint(_ offset: Int64) throws(BrokerError) {
        guard offset != cleanerCheckpoint else { return }
        try FileSystem.writeAtomically(directory + "/" + Self.checkpointFile, Array("\(offset)\n".utf8))
        cleanerCheckpoint = offset
    }

    /// The saved log-start offset, if any.
    private static func readLogStart(in directory: String) throws(BrokerError) -> Int64? {
        let path = directory + "/" + logStartFile
        guard let bytes = try FileSystem.read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        guard let offset = Int64(text), offset >= 0 else {
            throw BrokerError(
                .kafkaStorageError,
                "\(path) holds '\(text.prefix(40))', not an offset: it should hold one number, the first offset kept. Nothing was changed")
        }
        return offset
    }

    /// Checks that each segment ends at or before the next one's base — exactly there when its
    /// saved summary says where it ends, as rolling and compaction leave it, so a missing segment
    /// is found — and that an empty last segment starts exactly where the one before ends. An
    /// empty log file placed beside the segments would otherwise move the next offset.
    private static func checkSequence(_ segments: [DiskSegment]) throws(BrokerError) {
        for (before, after) in zip(segments, segments.dropFirst()) {
            let end = before.info.endOffset
            if end > after.baseOffset {
                throw BrokerError(
                    .corruptMessage,
                    "\(before.path(".log")) holds offsets up to \(end - 1), past the start of \(after.path(".log")) (\(after.baseOffset)): "
                        + "segments must not overlap. Nothing was changed; move the one that does not belong aside")
            }
            if before.hasSavedSummary, end < after.baseOffset {
                throw BrokerError(
                    .corruptMessage,
                    "\(before.path(".log")) ends at offset \(end), but the next segment, \(after.path(".log")), starts at \(after.baseOffset): "
                        + "the segment that held offsets \(end)…\(after.baseOffset - 1) is missing. Nothing was changed; restore it from a copy")
            }
            if after === segments.last, after.info.recordCount == 0, end != after.baseOffset {
                throw BrokerError(
                    .corruptMessage,
                    "\(after.path(".log")) is empty and starts at offset \(after.baseOffset), but the log before it ends at \(end): "
                        + "it is not a segment this log rolled to. Nothing was changed; move it aside")
            }
        }
    }

    private init(
        directory: String, policy: FlushPolicy, files: FileCache, scratch: String, segments: [DiskSegment], logStart: Int64,
        markedClean: Bool = false
    ) {
        self.directory = directory
        self.policy = policy
        self.files = files
        self.scratch = scratch
        diskSegments = segments
        logStartOffset = logStart
        isMarkedClean = markedClean
    }

    /// Removes the clean-shutdown marker before the first change: from now on a crash must
    /// make the next open check the log.
    private func willChange() throws(BrokerError) {
        guard isMarkedClean else { return }
        try FileSystem.remove(directory + "/" + Self.cleanShutdownMarker)
        isMarkedClean = false
    }

    public var segments: [SegmentInfo] { diskSegments.map(\.info) }

    public var activeSegment: SegmentInfo { diskSegments[diskSegments.count - 1].info }

    /// Writes the batch; when the flush policy wants it synced, it becomes part of the log only
    /// in ``finishAppend(synced:)``, after the sync ran outside the broker's lock.
    public func append(_ batch: RecordBatch) throws(BrokerError) -> PendingSync? {
        try willChange()
        let due: Bool
        switch policy {
        case .os: due = false
        case .batch: due = true
        case .interval(let milliseconds): due = lastSync.duration(to: .now) >= .milliseconds(milliseconds)
        }
        let active = diskSegments[diskSegments.count - 1]
        if batch.baseOffset > active.info.endOffset { try active.allowGapsFromNowOn() }
        guard due else {
            try active.append(batch)
            return nil
        }
        let file = try active.write(batch)
        unsynced = (active, batch)
        return { () throws(BrokerError) in try file.sync() }
    }

    /// A failed sync cuts the batch back off, as a failed write is: what the disk may have lost
    /// is never acknowledged, and the next append starts where the last acknowledged one ended.
    public func finishAppend(synced: Result<Void, BrokerError>) throws(BrokerError) {
        guard let (segment, batch) = unsynced else { return }
        unsynced = nil
        switch synced {
        case .success:
            segment.commit(batch)
            lastSync = .now
        case .failure(let error):
            segment.cutBack(after: error)
            throw error
        }
    }

    public func roll() throws(BrokerError) {
        try willChange()
        let end = logEndOffset
        try diskSegments[diskSegments.count - 1].close(endOffset: end)
        diskSegments.append(try DiskSegment.create(in: directory, base: end, files: files))
        try FileSystem.syncDirectory(directory)
    }

    /// Decides from the batch headers alone, then changes the files newest first, so that a
    /// crash part way leaves a log cut at a batch boundary: the cleaner checkpoint is lowered,
    /// whole newer segments are removed, the segment that holds `offset` is cut and synced, and
    /// the directory is synced. Truncating to nothing saves the new (lower) log start first,
    /// removes every segment and creates an empty one there; an open between the two creates it.
    ///
    /// - Throws: a storage error; the partition's files are then as a crash there would leave
    ///   them, and it is to be opened again before it is used.
    public func truncate(to offset: Int64) throws(BrokerError) {
        precondition(unsynced == nil, "a partition is not truncated while an append waits for its sync")
        guard offset < logEndOffset else { return }
        var kept = diskSegments.lastIndex { $0.baseOffset < offset }
        var cut: (position: Int, end: Int64?) = (0, nil)
        while let last = kept {
            cut = try diskSegments[last].cutPoint(at: offset)
            if cut.end != nil { break }
            kept = last > 0 ? last - 1 : nil
        }
        try willChange()
        guard let last = kept, let end = cut.end, end >= logStartOffset, offset > logStartOffset else {
            return try startAfresh(at: min(offset, logStartOffset))
        }
        if cleanerCheckpoint > end { try setCleanerCheckpoint(end) }
        let segment = diskSegments[last]
        // A compacted segment about to become the active one keeps its gaps.
        if last < diskSegments.count - 1, Int64(segment.info.recordCount) != segment.info.endOffset - segment.baseOffset {
            try segment.allowGapsFromNowOn()
        }
        while diskSegments.count > last + 1 {
            try diskSegments[diskSegments.count - 1].delete()
            diskSegments.removeLast()
        }
        if cut.position < segment.info.byteCount {
            let file = try segment.file()
            try file.truncate(to: cut.position)
            try file.sync()
        }
        diskSegments[last] = try DiskSegment.open(in: directory, base: segment.baseOffset, closed: false, cleanShutdown: false, files: files)
        try FileSystem.syncDirectory(directory)
    }

    public func startAfresh(at start: Int64) throws(BrokerError) {
        precondition(unsynced == nil, "a partition is not started afresh while an append waits for its sync")
        try willChange()
        if cleanerCheckpoint > start { try setCleanerCheckpoint(start) }
        if start != logStartOffset {
            try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, Array(String(start).utf8))
            logStartOffset = start
        }
        while diskSegments.count > 1 {
            try diskSegments[diskSegments.count - 1].delete()
            diskSegments.removeLast()
        }
        try diskSegments[0].delete()
        try FileSystem.syncDirectory(directory)
        diskSegments[0] = try DiskSegment.create(in: directory, base: start, files: files)
        try FileSystem.syncDirectory(directory)
    }

    public func batches(from offset: Int64, maxBytes: Int) throws(BrokerError) -> [RecordBatch] {
        var result: [RecordBatch] = []
        var taken = 0
        let first = diskSegments.partitioningIndex { $0.info.endOffset > offset }
        for segment in diskSegments[first...] {
            let readToEnd = try segment.batches(from: offset, maxBytes: maxBytes, taken: &taken, into: &result)
            // Stopping at the budget or at damage ends the read: skipping on would leave a gap.
            if !readToEnd || (!result.isEmpty && taken >= maxBytes) { break }
        }
        return result
    }

    public func storedBytes(from offset: Int64, maxBytes: Int) throws(BrokerError) -> [any StoredBytes] {
        var result: [any StoredBytes] = []
        var taken = 0
        let first = diskSegments.partitioningIndex { $0.info.endOffset > offset }
        for segment in diskSegments[first...] {
            guard let range = try segment.storedBytes(from: offset, maxBytes: maxBytes - taken, atLeastOne: result.isEmpty) else { continue }
            if range.count > 0 { result.append(range) }
            taken += range.count
            // A range that stops inside its segment has met the budget or damage.
            if range.position + range.count < segment.info.byteCount { break }
        }
        return result
    }

    public func batches(inSegment index: Int) throws(BrokerError) -> [RecordBatch] {
        try diskSegments[index].allBatches()
    }

    public func producerFields(inSegment index: Int) throws(BrokerError) -> [ProducerFields] {
        try diskSegments[index].producerFields()
    }

    public func offset(atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        guard let index = diskSegments.firstIndex(where: { ($0.info.maxTimestamp ?? .min) >= timestamp }),
              let offset = try diskSegments[index].offset(atOrAfter: timestamp)
        else { return nil }
        return max(offset, logStartOffset)
    }

    public func deleteOldestSegments(_ count: Int) throws(BrokerError) {
        let count = min(count, diskSegments.count - 1)
        guard count > 0 else { return }
        try willChange()
        // Delete first, then write the bookkeeping: on a full disk, deleting is what makes room
        // for it. A crash between the two leaves the old log start, before the first segment:
        // a gap, as compaction leaves, that the next retention closes.
        for _ in 0..<count {
            try diskSegments[0].delete()
            diskSegments.removeFirst()
            logStartOffset = max(logStartOffset, diskSegments[0].baseOffset)
        }
        try FileSystem.syncDirectory(directory)
        let logStart = Array(String(logStartOffset).utf8)
        do throws(BrokerError) {
            try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, logStart)
        } catch {
            // A full disk: the removed segments' blocks are freed only as their files close.
            files.awaitClosed()
            try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, logStart)
        }
    }

    /// Writes the new log start first, then deletes the segments wholly before it: a crash in
    /// between leaves them for the next open, which deletes segments before the saved log start.
    public func advanceLogStart(to offset: Int64) throws(BrokerError) {
        precondition(offset <= logEndOffset, "the log start never passes the log end")
        guard offset > logStartOffset else { return }
        try willChange()
        // The records up to the new start must outlive a power cut too, or the log could reopen
        // ending before its saved start. Closed segments were synced when they rolled.
        let active = diskSegments[diskSegments.count - 1]
        if offset > active.baseOffset { try active.file().sync() }
        try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, Array(String(offset).utf8))
        logStartOffset = offset
        var deleted = false
        while diskSegments.count > 1, diskSegments[1].baseOffset <= offset, (try? diskSegments[0].delete()) != nil {
            diskSegments.removeFirst()
            deleted = true
        }
        if deleted { try? FileSystem.syncDirectory(directory) }
    }

    public func closedSegments() -> any ClosedSegments {
        DiskClosedSegments(closed: diskSegments.dropLast().map { .init(info: $0.info, path: $0.path(".log")) }, scratch: scratch)
    }

    public func replaceSegments(_ count: Int, with prepared: any PreparedSegments) throws(BrokerError) {
        let prepared = prepared as! DiskPreparedSegments
        precondition(count < diskSegments.count, "the active segment is never replaced")
        precondition(prepared.swap.old == diskSegments[0..<count].map(\.baseOffset), "prepared from other segments")
        guard count > 0 else { return }
        try willChange()
        let bases = prepared.segments.map(\.info.baseOffset)
        func name(_ base: Int64, _ suffix: String) -> String { DiskSegment.fileName(base, suffix) }
        // Renames within the workspace, the manifest last: no bytes are written or synced while
        // the lock is held but the directory's.
        var moved: [String] = []
        let manifest = directory + "/" + CompactionSwap.fileName
        do throws(BrokerError) {
            for base in bases {
                try FileSystem.rename(prepared.directory + "/" + name(base, ".cleaned"), to: directory + "/" + name(base, ".cleaned"))
                moved.append(directory + "/" + name(base, ".cleaned"))
            }
            try FileSystem.rename(prepared.directory + "/" + CompactionSwap.fileName, to: manifest)
            moved.append(manifest)
            try FileSystem.syncDirectory(directory)
        } catch {
            // Old segments are untouched until the manifest is on the disk: give the space back.
            for path in moved.reversed() { try? FileSystem.remove(path) }
            throw error
        }
        // Freeing a large file's blocks is what takes long: the largest old logs stay open
        // through the swap and close after it; only a few, so that a partition of thousands of
        // segments does not use up the descriptors.
        let largest = diskSegments[0..<count].sorted { $0.info.byteCount > $1.info.byteCount }.prefix(Self.logsClosedLater)
        let old = largest.compactMap { files.take($0.path(".log")) }
        diskSegments[0..<count].forEach { $0.release() }
        do throws(BrokerError) {
            try prepared.swap.complete(in: directory)
        } catch {
            files.closeLater(consume old)
            throw error
        }
        files.closeLater(consume old)
        // The indexes and summaries written with the cleaned logs; one that fails to move is
        // rebuilt by the next open's scan.
        for base in bases {
            for suffix in [".index", ".timeindex", ".meta"] {
                try? FileSystem.rename(prepared.directory + "/" + name(base, suffix), to: directory + "/" + name(base, suffix))
            }
        }
        let segments = prepared.segments.map { DiskSegment.written(in: directory, info: $0.info, index: $0.index, files: files) }
        diskSegments.replaceSubrange(0..<count, with: segments)
    }

    /// Syncs the active segment and saves its index and summary, then marks the shutdown clean,
    /// so the next open checks only the tail instead of scanning the whole active segment.
    ///
    /// Only the sync must succeed: on a full disk the index, summary and marker are left out and
    /// the next open scans instead.
    public func close() throws(BrokerError) {
        guard !isMarkedClean else { return }
        let active = diskSegments[diskSegments.count - 1]
        try active.file().sync()
        guard (try? active.writeIndexAndMeta()) != nil,
              (try? FileSystem.writeAtomically(directory + "/" + Self.cleanShutdownMarker, [])) != nil
        else { return }
        isMarkedClean = true
    }
}
