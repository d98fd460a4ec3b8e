import EventLabCore

/// A segment's sparse index: one entry every `interval` bytes of log, at a batch start.
///
/// On disk it is two files, as in Kafka: `.index` holds (offset − base u32, position u32) and
/// `.timeindex` holds (newest timestamp so far i64, offset − base u32). Both can always be
/// rebuilt from the log, so they are written when a segment closes, not on every append.
struct SegmentIndex: Equatable {
    /// One indexed batch start.
    struct Entry: Equatable {
        var offset: Int64
        var position: Int
        /// The newest timestamp in the segment up to and including this batch.
        var maxTimestamp: Int64
    }

    /// Bytes of log between entries (Kafka's `index.interval.bytes`).
    static let interval = 4096

    private(set) var entries: [Entry] = []
    private var bytesSinceEntry = Int.max
    private var maxTimestamp = Int64.min

    /// Notes a batch written at `position`; indexes it if `interval` bytes have passed.
    mutating func add(_ batch: RecordBatch, at position: Int) {
        maxTimestamp = max(maxTimestamp, batch.maxTimestamp)
        if bytesSinceEntry >= Self.interval {
            entries.append(Entry(offset: batch.baseOffset, position: position, maxTimestamp: maxTimestamp))
            bytesSinceEntry = 0
        }
        bytesSinceEntry += batch.byteCount
    }

    /// The position of the last indexed batch that starts at or before `offset`, or 0.
    func position(before offset: Int64) -> Int {
        let next = entries.partitioningIndex { $0.offset > offset }
        return next == 0 ? 0 : entries[next - 1].position
    }

    /// The position of the last indexed batch that starts at or before byte `position`, or 0.
    func batchStart(atOrBefore position: Int) -> Int {
        let next = entries.partitioningIndex { $0.position > position }
        return next == 0 ? 0 : entries[next - 1].position
    }

    /// A position from which the first record at or after `timestamp` can be found by scanning.
    func position(beforeTimestamp timestamp: Int64) -> Int {
        let first = entries.partitioningIndex { $0.maxTimestamp >= timestamp }
        return first == 0 ? 0 : entries[first - 1].position
    }

    /// The entry for the batch that starts at `position`, if the index has one there.
    func entry(at position: Int) -> Entry? {
        let next = entries.partitioningIndex { $0.position > position }
        return next > 0 && entries[next - 1].position == position ? entries[next - 1] : nil
    }

    /// The last entry, from which a tail check starts.
    var last: Entry? { entries.last }

    /// The `.index` and `.timeindex` file contents.
    func encoded(base: Int64) -> (offsets: [UInt8], times: [UInt8]) {
        var offsets = ByteWriter(capacity: entries.count * 8)
        var times = ByteWriter(capacity: entries.count * 12)
        for entry in entries {
            offsets.write(UInt32(truncatingIfNeeded: entry.offset - base))
            offsets.write(UInt32(truncatingIfNeeded: entry.position))
            times.write(entry.maxTimestamp)
            times.write(UInt32(truncatingIfNeeded: entry.offset - base))
        }
        return (offsets.bytes, times.bytes)
    }

    /// Reads the two files; nil if they are missing, cut mid-entry, disagree, or point past
    /// `logSize` — then the caller rebuilds the index from the log.
    static func decode(offsets: [UInt8]?, times: [UInt8]?, base: Int64, logSize: Int) -> SegmentIndex? {
        guard let offsets, let times, offsets.count % 8 == 0, times.count % 12 == 0,
              offsets.count / 8 == times.count / 12
        else { return nil }
        var index = SegmentIndex()
        let count = offsets.count / 8
        for entry in 0..<count {
            let relative = Int64(readUInt32(offsets, at: entry * 8))
            let position = Int(readUInt32(offsets, at: entry * 8 + 4))
            let timestamp = Int64(bitPattern: readUInt64(times, at: entry * 12))
            guard Int64(readUInt32(times, at: entry * 12 + 8)) == relative, position < logSize,
                  index.entries.last.map({ $0.offset < base + relative && $0.position < position && $0.maxTimestamp <= timestamp }) ?? true
            else { return nil }
            index.entries.append(Entry(offset: base + relative, position: position, maxTimestamp: timestamp))
        }
        index.maxTimestamp = index.entries.last?.maxTimestamp ?? .min
        return index
    }

    /// Continues indexing after loading: the next batch added starts a new interval count at
    /// `bytesSinceLastEntry`.
    mutating func resume(bytesSinceLastEntry: Int, maxTimestamp: Int64?) {
        bytesSinceEntry = entries.isEmpty ? Int.max : bytesSinceLastEntry
        self.maxTimestamp = Swift.max(self.maxTimestamp, maxTimestamp ?? .min)
    }
}

func readUInt16<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int) -> UInt16 where Bytes.Index == Int {
    UInt16(bytes[bytes.startIndex + offset]) << 8 | UInt16(bytes[bytes.startIndex + offset + 1])
}

func readUInt32<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int) -> UInt32 where Bytes.Index == Int {
    (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[bytes.startIndex + offset + $1]) }
}

func readUInt64<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int) -> UInt64 where Bytes.Index == Int {
    (0..<8).reduce(0) { $0 << 8 | UInt64(bytes[bytes.startIndex + offset + $1]) }
}
