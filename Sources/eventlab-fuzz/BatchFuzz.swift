import ArgumentParser
import EventLabCore

/// Produced batches with a valid CRC whose header fields and record deltas sit at their
/// extremes — timestamps of ±2^63, offset deltas of 2^40, counts that disagree with the records —
/// appended to topics whose segments roll, retain and compact by time.
///
/// Each batch must be refused with the log end unchanged, or appended whole: at the old log end,
/// moving it by exactly its record count, with records that read back at consecutive offsets and
/// timestamps of -1 or more. Retention and compaction then run over what was accepted.
enum BatchFuzz {
    static let longs: [Int64] = [.min, .min + 1, -2, -1, 0, 1, 2, 1_700_000_000_000, Int64(Int32.max), Int64(Int32.min), 1 << 40, .max - 1, .max]
    static let ints: [Int32] = [.min, -2, -1, 0, 1, 2, 3, 4, .max - 1, .max]

    /// Appends `count` fuzzed batches, starting a fresh broker now and then.
    ///
    /// - Returns: how many batches were appended and how many were refused.
    /// - Throws: `ValidationError` naming the batch when a rule above is broken.
    static func run(count: Int, random: inout SplitMix64) throws -> (accepted: Int, refused: Int) {
        var accepted = 0
        var refused = 0
        var broker = try Broker()
        for index in 0..<count {
            if index % 2000 == 0 {
                broker = try Broker()
                var config = TopicConfig()
                config.segmentMs = 1
                config.segmentRecords = 5
                config.retentionMs = 1
                try broker.createTopic("plain", partitions: 1, config: config)
                config.cleanupPolicy = .compact
                try broker.createTopic("compacted", partitions: 1, config: config)
            }
            let topic = random.next() % 2 == 0 ? "plain" : "compacted"
            // A header the batch codec itself refuses never reaches the broker, as on the network.
            if let batch = make(&random), try append(batch, to: topic, of: broker) { accepted += 1 } else { refused += 1 }
            if index % 50 == 49 {
                _ = try broker.runRetention()
                _ = try broker.runCompaction()
            }
        }
        return (accepted, refused)
    }

    /// Appends `batch` and checks the rules.
    ///
    /// - Returns: whether it was appended.
    private static func append(_ batch: RecordBatch, to topic: String, of broker: Broker) throws -> Bool {
        let before = try broker.offsets(topic, partition: 0).logEndOffset
        let base: Int64
        do {
            base = try broker.append(batch, topic: topic, partition: 0)
        } catch {
            guard try broker.offsets(topic, partition: 0).logEndOffset == before else {
                throw ValidationError("a refused batch moved the log end (\(error)): \(hex(batch))")
            }
            return false
        }
        let after = try broker.offsets(topic, partition: 0).logEndOffset
        let records = try broker.read(topic, partition: 0, from: base, maxRecords: .max)
        guard base == before, after == before + Int64(batch.recordCount),
              records.map(\.offset) == Array(base..<after), records.allSatisfy({ $0.timestamp >= -1 })
        else {
            throw ValidationError("an appended batch broke the log (base \(base), log end \(before) → \(after)): \(hex(batch))")
        }
        return true
    }

    /// A batch of one to four records, then perhaps with header fields and offsets at extremes.
    private static func make(_ random: inout SplitMix64) -> RecordBatch? {
        let count = Int(random.next() % 4) + 1
        let first = pick(longs, &random)
        var offsets = (0..<Int64(count)).map { $0 }
        if count >= 3, random.next() % 3 == 0 {
            // A middle record: the encoder keeps the last record's delta in lastOffsetDelta's 32 bits.
            offsets[1] = pick(longs, &random)
        }
        let records = offsets.enumerated().map { index, offset in
            let (timestamp, overflow) = first.addingReportingOverflow(Int64(random.next() % 3) * Int64(index))
            return Record(offset: offset, timestamp: overflow ? first : timestamp, key: [UInt8(index)], value: [1, 2])
        }
        var bytes = RecordBatch(records: records).encoded()
        for _ in 0..<Int(random.next() % 3) {
            switch random.next() % 6 {
            case 0: patch(&bytes, at: 23, pick(ints, &random))  // lastOffsetDelta
            case 1: patch(&bytes, at: 57, pick(ints, &random))  // recordCount
            case 2: patch(&bytes, at: 27, pick(longs, &random))  // baseTimestamp
            case 3: patch(&bytes, at: 35, pick(longs, &random))  // maxTimestamp
            case 4: patch(&bytes, at: 21, Int16(truncatingIfNeeded: random.next() & 0x38))  // attributes: time type, transactional, control
            default: patch(&bytes, at: 43, pick(longs, &random))  // producerId
            }
        }
        let crc = CRC32C.checksum(bytes[21...])
        patch(&bytes, at: 17, crc)
        return try? RecordBatch(validating: bytes)
    }

    private static func pick<T>(_ values: [T], _ random: inout SplitMix64) -> T {
        values[Int(random.next() % UInt64(values.count))]
    }

    private static func patch<T: FixedWidthInteger>(_ bytes: inout [UInt8], at offset: Int, _ value: T) {
        bytes.replaceSubrange(offset..<offset + MemoryLayout<T>.size, with: withUnsafeBytes(of: value.bigEndian, Array.init))
    }

    private static func hex(_ batch: RecordBatch) -> String {
        batch.encoded().map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
