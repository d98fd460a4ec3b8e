import EventLabCore

/// The manifest compaction writes once its cleaned segments are on disk: the moment a
/// compaction takes effect. It names the old segments, the new ones with their sizes, and the
/// end offset of the range, so that opening after a crash can finish the swap — and first prove
/// that the new segments it is about to put in place of the old ones exist, whole.
///
/// `compaction.swap`, one line each: `old B…`, `new B:SIZE:DIGEST…`, `end E`, where DIGEST is
/// ``digest(of:)`` of the new segment's batches. A manifest of an earlier EventLab has `new B…`
/// alone and no end.
struct CompactionSwap: Equatable {
    static let fileName = "compaction.swap"

    /// One new segment: its base offset and, when the manifest says, its size and digest.
    struct NewSegment: Equatable {
        var base: Int64
        var size: Int?
        var digest: UInt32?
    }

    /// A CRC-32C over each batch's base offset and CRC, in order: it changes when any batch's
    /// bytes, offset or place changes, and a scan that checks the batches computes it for free.
    static func digest(of batches: some Sequence<RecordBatch>) -> UInt32 {
        var writer = ByteWriter(capacity: 64)
        for batch in batches {
            writer.write(batch.baseOffset)
            writer.write(batch.crc)
        }
        return CRC32C.checksum(writer.bytes)
    }

    var old: [Int64]
    var new: [NewSegment]
    /// The offset after the last one the replaced range covers; nil in an older manifest.
    var end: Int64?

    var encoded: [UInt8] {
        let lines = [
            "old " + old.map(String.init).joined(separator: " "),
            "new " + new.map { "\($0.base):\($0.size ?? 0):\($0.digest ?? 0)" }.joined(separator: " "),
            "end " + String(end ?? 0),
        ]
        let body = Array((lines.joined(separator: "\n") + "\n").utf8)
        return body + Array("crc \(CRC32C.checksum(body))\n".utf8)
    }

    /// The manifest in `bytes`, or nil if it is not one: every line must be what this type
    /// writes, ending in the CRC-32C of the lines before it — or, for a manifest of an earlier
    /// EventLab, which had none, old and new segments alone, at least one new.
    static func decode(_ bytes: [UInt8]) -> CompactionSwap? {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let body = lines.filter { !$0.hasPrefix("crc ") }
        guard let swap = decodeLines(body) else { return nil }
        guard let last = lines.last, last.hasPrefix("crc ") else {
            // An earlier EventLab's manifest: old and new segments alone.
            return swap.end == nil && !swap.new.isEmpty && swap.new.allSatisfy({ $0.size == nil }) ? swap : nil
        }
        let stated = UInt32(last.dropFirst(4))
        let text = body.map { $0 + "\n" }.joined()
        return body.count == lines.count - 1 && stated == CRC32C.checksum(Array(text.utf8)) ? swap : nil
    }

    private static func decodeLines(_ lines: [Substring]) -> CompactionSwap? {
        var swap = CompactionSwap(old: [], new: [], end: nil)
        var seen: Set<Substring> = []
        for line in lines {
            let words = line.split(separator: " ")
            guard let key = words.first, seen.insert(key).inserted else { return nil }
            let values = words.dropFirst()
            switch key {
            case "old":
                guard let bases = parseBases(values) else { return nil }
                swap.old = bases
            case "new":
                var segments: [NewSegment] = []
                for value in values {
                    let parts = value.split(separator: ":", omittingEmptySubsequences: false)
                    guard parts.count == 1 || parts.count == 3, let base = Int64(parts[0]), base >= 0 else { return nil }
                    guard parts.count == 3 else {
                        segments.append(NewSegment(base: base))
                        continue
                    }
                    guard let size = Int(parts[1]), size > 0, let digest = UInt32(parts[2]) else { return nil }
                    segments.append(NewSegment(base: base, size: size, digest: digest))
                }
                swap.new = segments
            case "end":
                guard values.count == 1, let end = Int64(values.first!), end >= 0 else { return nil }
                swap.end = end
            default:
                return nil
            }
        }
        guard seen.contains("old"), seen.contains("new"), !swap.old.isEmpty else { return nil }
        return swap
    }

    private static func parseBases(_ words: ArraySlice<Substring>) -> [Int64]? {
        var bases: [Int64] = []
        for word in words {
            guard let base = Int64(word), base >= 0 else { return nil }
            bases.append(base)
        }
        return bases
    }

    /// The offset each new segment covers until: the next one's base, the last one's `end`.
    var coveredUntil: [Int64: Int64] {
        guard let end else { return [:] }
        var result: [Int64: Int64] = [:]
        for (index, segment) in new.enumerated() {
            result[segment.base] = index + 1 < new.count ? new[index + 1].base : end
        }
        return result
    }
}

extension CompactionSwap {
    /// Finishes the swap the manifest in `directory` describes, after checking that every new
    /// segment is on disk whole — as a `.cleaned` file still waiting, or as the `.log` it was
    /// already renamed to — so that no old segment is removed on the strength of an unchecked
    /// file. Leftover `.cleaned` and `.tmp` files of a compaction that never wrote its manifest
    /// are discarded.
    ///
    /// - Returns: the offsets each new segment covers until, for the partition to record.
    /// - Throws: `KAFKA_STORAGE_ERROR` or `CORRUPT_MESSAGE` naming the manifest and what it lacks,
    ///   having changed nothing.
    static func finishInterrupted(in directory: String) throws(BrokerError) -> [Int64: Int64] {
        var covered: [Int64: Int64] = [:]
        let manifestPath = directory + "/" + fileName
        if let bytes = try FileSystem.read(manifestPath) {
            guard let swap = decode(bytes) else {
                throw BrokerError(
                    .kafkaStorageError,
                    "\(manifestPath) is not a compaction manifest EventLab wrote, so the compaction it would finish cannot be trusted. "
                        + "Nothing was changed; if no compaction was running, remove the file (and any .cleaned files beside it)")
            }
            try swap.verify(in: directory, manifestPath: manifestPath)
            try swap.complete(in: directory)
            covered = swap.coveredUntil
        }
        for name in try FileSystem.list(directory) where name.hasSuffix(".cleaned") || name.hasSuffix(".tmp") {
            try FileSystem.remove(directory + "/" + name)
        }
        return covered
    }

    /// Checks that each new segment exists whole, where the swap left it.
    private func verify(in directory: String, manifestPath: String) throws(BrokerError) {
        for (index, segment) in new.enumerated() {
            // Compaction bases each cleaned segment on the first old one it replaces, so a new
            // base outside `old` is a segment the manifest would wrongly vouch for.
            guard old.contains(segment.base) else {
                throw BrokerError(
                    .kafkaStorageError,
                    "\(manifestPath) puts a cleaned segment at offset \(segment.base), which is not one of the segments it replaces "
                        + "(\(old.map(String.init).joined(separator: ", "))): compaction never writes one there. "
                        + "Nothing was removed; if no compaction was running, remove \(manifestPath) to keep the old segments")
            }
            let cleaned = path(directory, segment.base, ".cleaned")
            let log = path(directory, segment.base, ".log")
            let file: String
            if FileSystem.exists(cleaned) {
                file = cleaned
            } else if FileSystem.exists(log) && segment.size != nil {
                file = log
            } else {
                throw BrokerError(
                    .kafkaStorageError,
                    "\(manifestPath) puts a cleaned segment at offset \(segment.base) in place of old ones, but \(cleaned) is missing. "
                        + "Nothing was removed; if no compaction was running, remove \(manifestPath) to keep the old segments")
            }
            let upper = index + 1 < new.count ? new[index + 1].base : (end ?? .max)
            let (size, digest) = try Self.checkWhole(file, offsets: BatchReader.Offsets(next: segment.base, end: upper))
            if let expected = segment.size, expected != size || segment.digest != digest {
                throw BrokerError(
                    .corruptMessage,
                    "\(file) is not the cleaned segment \(manifestPath) names (\(size) bytes against \(expected), or other batches). "
                        + "Nothing was removed; restore the file, or remove \(manifestPath) and the .cleaned files to keep the old segments")
            }
        }
    }

    /// The size and digest of a segment file whose batches all pass their checks.
    private static func checkWhole(_ path: String, offsets: BatchReader.Offsets) throws(BrokerError) -> (Int, UInt32) {
        let file = try LogFile(path: path)
        let size = try file.size()
        var reader = BatchReader(file: file, position: 0, end: size, offsets: offsets)
        var batches: [RecordBatch] = []
        while let batch = try reader.nextBatch() { batches.append(batch) }
        return (size, digest(of: batches))
    }

    /// Puts the new segments (`<base>.cleaned`) in place of the old, then removes the manifest.
    /// Safe to run again after a crash part-way: a `.cleaned` file that still exists has not
    /// replaced anything yet.
    func complete(in directory: String) throws(BrokerError) {
        let newBases = new.map(\.base)
        for base in Set(old + newBases) {
            for suffix in [".index", ".timeindex", ".meta", DiskSegment.gapsSuffix] { try FileSystem.remove(path(directory, base, suffix)) }
        }
        for base in newBases where FileSystem.exists(path(directory, base, ".cleaned")) {
            try FileSystem.rename(path(directory, base, ".cleaned"), to: path(directory, base, ".log"))
        }
        for base in old where !newBases.contains(base) { try FileSystem.remove(path(directory, base, ".log")) }
        try FileSystem.syncDirectory(directory)
        try FileSystem.remove(directory + "/" + Self.fileName)
        try FileSystem.syncDirectory(directory)
    }

    private func path(_ directory: String, _ base: Int64, _ suffix: String) -> String {
        directory + "/" + DiskSegment.fileName(base, suffix)
    }
}
