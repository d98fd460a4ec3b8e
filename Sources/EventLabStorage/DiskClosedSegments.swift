import EventLabCore
import Synchronization

/// A partition's closed segments on disk as they were at one moment, read and rewritten by
/// compaction outside the broker's lock.
///
/// Reading opens each log by its path and never creates one, so a segment that retention or
/// another compaction removed meanwhile is an error the broker sees as a stale snapshot, not a
/// file brought back empty. The cleaned segments are written to a directory of their own under
/// the workspace's `staging/`, never into the partition's directory — which a topic deletion
/// may be removing at that moment — and each with its index and summary, so that the swap under
/// the lock only renames files.
struct DiskClosedSegments: ClosedSegments {
    /// One closed segment's summary and log.
    struct Segment: Sendable {
        var info: SegmentInfo
        var path: String
    }

    let closed: [Segment]
    /// Where this partition's cleaned segments are prepared: a directory under `staging/`.
    let scratch: String

    var segments: [SegmentInfo] { closed.map(\.info) }

    /// Makes each prepared directory's name unique within the process that holds the workspace.
    private static let preparations = Atomic<Int>(0)

    func batches(inSegment index: Int) throws(BrokerError) -> [RecordBatch] {
        let segment = closed[index]
        let info = segment.info
        // As ``DiskSegment/allBatches()`` reads: a segment without compaction gaps must hold
        // every offset it covers.
        let gapless = Int64(info.recordCount) == info.endOffset - info.baseOffset
        var reader = BatchReader(
            file: try LogFile(path: segment.path), position: 0, end: info.byteCount,
            offsets: BatchReader.Offsets(next: info.baseOffset, end: info.endOffset, contiguous: gapless))
        var result: [RecordBatch] = []
        while let batch = try reader.nextBatch() { result.append(batch) }
        return result
    }

    func prepare(_ replacements: [SegmentReplacement]) throws(BrokerError) -> any PreparedSegments {
        let directory = scratch + "/" + String(Self.preparations.wrappingAdd(1, ordering: .relaxed).oldValue)
        let end = closed.last?.info.endOffset ?? 0
        var written: [DiskPreparedSegments.Segment] = []
        let swap: CompactionSwap
        do throws(BrokerError) {
            try FileSystem.removeTree(directory)
            try FileSystem.createDirectory(directory)
            for (position, replacement) in replacements.enumerated() {
                let until = position + 1 < replacements.count ? replacements[position + 1].baseOffset : end
                written.append(try Self.write(replacement, until: until, in: directory))
            }
            // The manifest too, synced here, so the swap only renames it into place.
            swap = CompactionSwap(
                old: closed.map(\.info.baseOffset),
                new: written.map { .init(base: $0.info.baseOffset, size: $0.info.byteCount, digest: $0.digest) },
                end: end)
            let manifest = try LogFile(path: directory + "/" + CompactionSwap.fileName, create: true)
            try manifest.write(swap.encoded, at: 0)
            try manifest.sync()
        } catch {
            try? FileSystem.removeTree(directory)
            throw error
        }
        return DiskPreparedSegments(directory: directory, segments: written, swap: swap)
    }

    /// Writes one cleaned segment as `<base>.cleaned`, synced, with its `.index`, `.timeindex`
    /// and `.meta` beside it, covering offsets up to `until`.
    private static func write(_ replacement: SegmentReplacement, until: Int64, in directory: String) throws(BrokerError) -> DiskPreparedSegments.Segment {
        let base = replacement.baseOffset
        let file = try LogFile(path: directory + "/" + DiskSegment.fileName(base, ".cleaned"), create: true)
        var info = SegmentInfo.empty(at: base)
        var index = SegmentIndex()
        for batch in replacement.batches {
            try file.write(batch, at: info.byteCount)
            index.add(batch, at: info.byteCount)
            info.add(batch)
        }
        try file.sync()
        info.endOffset = until
        let (offsets, times) = index.encoded(base: base)
        try FileSystem.writeAtomically(directory + "/" + DiskSegment.fileName(base, ".index"), offsets)
        try FileSystem.writeAtomically(directory + "/" + DiskSegment.fileName(base, ".timeindex"), times)
        try FileSystem.writeAtomically(directory + "/" + DiskSegment.fileName(base, ".meta"), SegmentMeta.encode(info))
        return DiskPreparedSegments.Segment(info: info, index: index, digest: CompactionSwap.digest(of: replacement.batches))
    }
}

/// Cleaned segments written under `staging/`, with the manifest that swaps them in, waiting to
/// be moved into their partition.
struct DiskPreparedSegments: PreparedSegments {
    /// One cleaned segment: its summary, its index, and the digest its manifest line carries.
    struct Segment: Sendable {
        var info: SegmentInfo
        var index: SegmentIndex
        var digest: UInt32
    }

    /// The directory they were written to.
    let directory: String
    let segments: [Segment]
    /// The manifest beside them, naming the closed segments they replace.
    let swap: CompactionSwap

    func discard() {
        try? FileSystem.removeTree(directory)
    }
}
