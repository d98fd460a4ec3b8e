import EventLabCore

/// One partition's segments on disk, in a directory of its own.
///
/// Crash safety: a batch is written before `append` returns (and synced, by the flush policy);
/// retention records the new log start before deleting files; compaction writes the cleaned
/// segments to `.cleaned` files, syncs them, and then writes `compaction.swap` naming the old
/// and new segments — the moment it takes effect — before swapping the files. Opening finishes
/// or discards whatever a crash interrupted, so a reader sees the old segments or the new,
/// never a mix.
public final class DiskPartition: PartitionStorage {
    /// The partition's directory.
    public let directory: String
    private let policy: FlushPolicy
    private var diskSegments: [DiskSegment]
    public private(set) var logStartOffset: Int64
    private var lastSync = ContinuousClock.now
    /// Whether the clean-shutdown marker is on disk; it goes at the first change, so a session
    /// that only reads leaves the partition as cleanly closed as it found it.
    private var isMarkedClean: Bool

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
            let segment = try DiskSegment.open(in: directory, base: base, trusted: clean || !isActive)
            // A closed segment, or any after a clean shutdown, is complete: keep its repairs.
            if segment.wasRepaired && (clean || !isActive) { try segment.writeIndexAndMeta() }
            segments.append(segment)
        }
        if segments.isEmpty { segments = [try DiskSegment.create(in: directory, base: max(logStart, 0))] }
        for (position, segment) in segments.enumerated().dropLast() {
            try segment.cover(until: segments[position + 1].baseOffset)
            segment.release()
        }
        return DiskPartition(directory: directory, policy: policy, segments: segments, logStart: logStart, markedClean: clean)
    }

    private init(directory: String, policy: FlushPolicy, segments: [DiskSegment], logStart: Int64, markedClean: Bool = false) {
        self.directory = directory
        self.policy = policy
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

    static let swapManifest = "compaction.swap"

    /// Completes a compaction whose manifest was written, and discards one that was not.
    private static func finishInterruptedCompaction(in directory: String) throws(BrokerError) {
        if let manifest = try FileSystem.read(directory + "/" + swapManifest) {
            let lines = String(decoding: manifest, as: UTF8.self).split(separator: "\n")
            let old = lines.first { $0.hasPrefix("old") }?.split(separator: " ").dropFirst().compactMap { Int64($0) } ?? []
            let new = lines.first { $0.hasPrefix("new") }?.split(separator: " ").dropFirst().compactMap { Int64($0) } ?? []
            try completeSwap(in: directory, old: old, new: new)
        }
        for name in try FileSystem.list(directory) where name.hasSuffix(".cleaned") || name.hasSuffix(".tmp") {
            try FileSystem.remove(directory + "/" + name)
        }
    }

    /// Puts the new segments (`<base>.cleaned`) in place of the old, then removes the manifest.
    /// Safe to run again after a crash part-way: a `.cleaned` file that still exists has not
    /// replaced anything yet.
    private static func completeSwap(in directory: String, old: [Int64], new: [Int64]) throws(BrokerError) {
        func path(_ base: Int64, _ suffix: String) -> String { directory + "/" + DiskSegment.fileName(base, suffix) }
        for base in Set(old + new) {
            for suffix in [".index", ".timeindex", ".meta"] { try FileSystem.remove(path(base, suffix)) }
        }
        for base in new where FileSystem.exists(path(base, ".cleaned")) {
            try FileSystem.rename(path(base, ".cleaned"), to: path(base, ".log"))
        }
        for base in old where !new.contains(base) { try FileSystem.remove(path(base, ".log")) }
        try FileSystem.syncDirectory(directory)
        try FileSystem.remove(directory + "/" + swapManifest)
        try FileSystem.syncDirectory(directory)
    }

    public var segments: [SegmentInfo] { diskSegments.map(\.info) }

    public var activeSegment: SegmentInfo { diskSegments[diskSegments.count - 1].info }

    public func append(_ batch: RecordBatch) throws(BrokerError) {
        try willChange()
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
        try willChange()
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
        let newStart = max(logStartOffset, diskSegments[count].baseOffset)
        try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, Array(String(newStart).utf8))
        logStartOffset = newStart
        for segment in diskSegments.prefix(count) { try segment.delete() }
        diskSegments.removeFirst(count)
        try FileSystem.syncDirectory(directory)
    }

    public func replaceSegments(_ range: Range<Int>, with replacements: [SegmentReplacement]) throws(BrokerError) {
        precondition(range.upperBound < diskSegments.count, "the active segment is never replaced")
        guard !range.isEmpty else { return }
        try willChange()
        let end = diskSegments[range.upperBound - 1].info.endOffset
        for replacement in replacements {
            let file = try LogFile(path: directory + "/" + DiskSegment.fileName(replacement.baseOffset, ".cleaned"), create: true)
            try file.truncate(to: 0)
            var position = 0
            for batch in replacement.batches {
                try file.write(batch, at: position)
                position += batch.byteCount
            }
            try file.sync()
        }
        let old = diskSegments[range].map(\.baseOffset)
        let new = replacements.map(\.baseOffset)
        let manifest = "old " + old.map(String.init).joined(separator: " ") + "\nnew " + new.map(String.init).joined(separator: " ") + "\n"
        try FileSystem.writeAtomically(directory + "/" + Self.swapManifest, Array(manifest.utf8))
        diskSegments[range].forEach { $0.release() }
        try Self.completeSwap(in: directory, old: old, new: new)
        var segments: [DiskSegment] = []
        for (index, replacement) in replacements.enumerated() {
            let segment = try DiskSegment.open(in: directory, base: replacement.baseOffset, trusted: false)
            try segment.close(endOffset: index + 1 < replacements.count ? replacements[index + 1].baseOffset : end)
            segments.append(segment)
        }
        diskSegments.replaceSubrange(range, with: segments)
        if segments.isEmpty, range.lowerBound > 0 {
            try diskSegments[range.lowerBound - 1].cover(until: end)
        }
    }

    /// Syncs the active segment and saves its index and summary, then marks the shutdown clean,
    /// so the next open checks only the tail instead of scanning the whole active segment.
    public func close() throws(BrokerError) {
        guard !isMarkedClean else { return }
        let active = diskSegments[diskSegments.count - 1]
        try active.file().sync()
        try active.writeIndexAndMeta()
        try FileSystem.writeAtomically(directory + "/" + Self.cleanShutdownMarker, [])
        isMarkedClean = true
    }
}
