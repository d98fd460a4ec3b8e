import EventLabCore

/// One partition's segments on disk, in a directory of its own.
///
/// Crash safety: a batch is written before `append` returns (and synced, by the flush policy);
/// retention records the new log start before deleting files; compaction writes the cleaned
/// segment to a `.cleaned` file, syncs it, and renames it to `<base>-<end>.swap` — the moment
/// it takes effect — before removing the old segments. Opening finishes or discards whatever a
/// crash interrupted, so a reader sees the old segments or the new, never a mix.
public final class DiskPartition: PartitionStorage {
    /// The partition's directory.
    public let directory: String
    private let policy: FlushPolicy
    private var diskSegments: [DiskSegment]
    public private(set) var logStartOffset: Int64
    private var lastSync = ContinuousClock.now

    static let cleanShutdownMarker = "clean-shutdown"
    static let logStartFile = "log-start-offset"

    /// Creates an empty partition in `directory`, which must not hold one yet.
    public static func create(in directory: String, policy: FlushPolicy) throws(BrokerError) -> DiskPartition {
        try FileSystem.createDirectory(directory)
        return DiskPartition(directory: directory, policy: policy, segments: [try DiskSegment.create(in: directory, base: 0)], logStart: 0)
    }

    /// Opens the partition in `directory`, recovering from whatever a crash left.
    public static func open(in directory: String, policy: FlushPolicy) throws(BrokerError) -> DiskPartition {
        let marker = directory + "/" + cleanShutdownMarker
        let clean = FileSystem.exists(marker)
        try finishInterruptedCompaction(in: directory)
        let bases = try FileSystem.list(directory).compactMap { name -> Int64? in
            name.hasSuffix(".log") ? Int64(name.dropLast(4)) : nil
        }.sorted()
        let logStart = try FileSystem.read(directory + "/" + logStartFile).flatMap { Int64(String(decoding: $0, as: UTF8.self)) } ?? 0
        var segments: [DiskSegment] = []
        for (position, base) in bases.enumerated() {
            let isActive = position == bases.count - 1
            if !isActive, bases[position + 1] <= logStart {
                // Retention decided to delete it before a crash stopped it.
                try DiskSegment.open(in: directory, base: base, trusted: true).delete()
                continue
            }
            segments.append(try DiskSegment.open(in: directory, base: base, trusted: clean || !isActive))
        }
        if segments.isEmpty { segments = [try DiskSegment.create(in: directory, base: max(logStart, 0))] }
        for (position, segment) in segments.enumerated().dropLast() {
            try segment.cover(until: segments[position + 1].baseOffset)
            segment.release()
        }
        try FileSystem.remove(marker)
        return DiskPartition(directory: directory, policy: policy, segments: segments, logStart: logStart)
    }

    private init(directory: String, policy: FlushPolicy, segments: [DiskSegment], logStart: Int64) {
        self.directory = directory
        self.policy = policy
        diskSegments = segments
        logStartOffset = logStart
    }

    /// Completes a compaction whose swap file was written, and discards one that was not.
    private static func finishInterruptedCompaction(in directory: String) throws(BrokerError) {
        for name in try FileSystem.list(directory) {
            if name.hasSuffix(".cleaned") || name.hasSuffix(".tmp") {
                try FileSystem.remove(directory + "/" + name)
            }
        }
        for name in try FileSystem.list(directory) where name.hasSuffix(".swap") {
            let range = name.dropLast(5).split(separator: "-")
            guard range.count == 2, let base = Int64(range[0]), let end = Int64(range[1]) else { continue }
            for other in try FileSystem.list(directory) where other.hasSuffix(".log") {
                if let otherBase = Int64(other.dropLast(4)), otherBase >= base, otherBase < end {
                    for suffix in [".index", ".timeindex", ".meta", ".log"] {
                        try FileSystem.remove(directory + "/" + DiskSegment.fileName(otherBase, suffix))
                    }
                }
            }
            let swap = directory + "/" + name
            if try LogFile(path: swap).size() > 0 {
                try FileSystem.rename(swap, to: directory + "/" + DiskSegment.fileName(base, ".log"))
            } else {
                try FileSystem.remove(swap)
            }
            try FileSystem.syncDirectory(directory)
        }
    }

    public var segments: [SegmentInfo] { diskSegments.map(\.info) }

    public var activeSegment: SegmentInfo { diskSegments[diskSegments.count - 1].info }

    public func append(_ batch: RecordBatch) throws(BrokerError) {
        let active = diskSegments[diskSegments.count - 1]
        try active.append(batch)
        switch policy {
        case .os:
            break
        case .batch:
            try active.file().sync()
        case .interval(let milliseconds):
            if lastSync.duration(to: .now) >= .milliseconds(milliseconds) {
                try active.file().sync()
                lastSync = .now
            }
        }
    }

    public func roll() throws(BrokerError) {
        let end = logEndOffset
        try diskSegments[diskSegments.count - 1].close(endOffset: end)
        diskSegments.append(try DiskSegment.create(in: directory, base: end))
        try FileSystem.syncDirectory(directory)
    }

    public func batches(from offset: Int64, maxBytes: Int) throws(BrokerError) -> [RecordBatch] {
        var result: [RecordBatch] = []
        var taken = 0
        let first = diskSegments.partitioningIndex { $0.info.endOffset > offset }
        for segment in diskSegments[first...] {
            let before = result.count
            try segment.batches(from: offset, maxBytes: maxBytes, taken: &taken, into: &result)
            let stoppedEarly = result.last.map { $0.nextOffset < segment.info.endOffset } ?? false
            if !result.isEmpty && (taken >= maxBytes || (stoppedEarly && result.count > before)) { break }
        }
        return result
    }

    public func batches(inSegment index: Int) throws(BrokerError) -> [RecordBatch] {
        try diskSegments[index].allBatches()
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
        let newStart = max(logStartOffset, diskSegments[count].baseOffset)
        try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, Array(String(newStart).utf8))
        logStartOffset = newStart
        for segment in diskSegments.prefix(count) { try segment.delete() }
        diskSegments.removeFirst(count)
        try FileSystem.syncDirectory(directory)
    }

    public func replaceSegments(_ range: Range<Int>, with batches: [RecordBatch]) throws(BrokerError) {
        precondition(range.upperBound < diskSegments.count, "the active segment is never replaced")
        guard !range.isEmpty else { return }
        let base = diskSegments[range.lowerBound].baseOffset
        let end = diskSegments[range.upperBound - 1].info.endOffset
        let cleaned = directory + "/" + DiskSegment.fileName(base, ".cleaned")
        do {
            let file = try LogFile(path: cleaned, create: true)
            try file.truncate(to: 0)
            var position = 0
            for batch in batches {
                try file.write(batch.bytes, at: position)
                position += batch.byteCount
            }
            try file.sync()
        }
        let swap = directory + "/" + DiskSegment.fileName(base, "") + "-" + DiskSegment.fileName(end, ".swap")
        try FileSystem.rename(cleaned, to: swap)
        try FileSystem.syncDirectory(directory)
        for segment in diskSegments[range] { try segment.delete() }
        var replacement: [DiskSegment] = []
        if batches.isEmpty {
            try FileSystem.remove(swap)
        } else {
            try FileSystem.rename(swap, to: directory + "/" + DiskSegment.fileName(base, ".log"))
            let segment = try DiskSegment.open(in: directory, base: base, trusted: false)
            try segment.close(endOffset: end)
            replacement = [segment]
        }
        try FileSystem.syncDirectory(directory)
        diskSegments.replaceSubrange(range, with: replacement)
        if batches.isEmpty, range.lowerBound > 0 {
            try diskSegments[range.lowerBound - 1].cover(until: end)
        }
    }

    /// Syncs the active segment and saves its index and summary, then marks the shutdown clean,
    /// so the next open checks only the tail instead of scanning the whole active segment.
    public func close() throws(BrokerError) {
        let active = diskSegments[diskSegments.count - 1]
        try active.file().sync()
        try active.writeIndexAndMeta()
        try FileSystem.writeAtomically(directory + "/" + Self.cleanShutdownMarker, [])
    }
}
