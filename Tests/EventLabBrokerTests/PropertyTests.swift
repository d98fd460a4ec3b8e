import Testing
@testable import EventLabCore
import EventLabTestSupport

/// A deliberately simple model of one topic: segments as plain lists of records.
struct ReferenceTopic {
    struct Entry: Equatable {
        var offset: Int64
        var key: String?
        var value: String?
        var timestamp: Int64
    }

    struct Segment {
        var base: Int64
        var end: Int64
        var records: [Entry] = []
    }

    var config: TopicConfig
    var partitions: [[Segment]]
    var logStarts: [Int64]
    var nextUnkeyed: Int32 = 0
    /// Each kept tombstone's delete horizon by partition and offset: set by the first cleaning that kept it.
    var horizons: [Int: [Int64: Int64]] = [:]

    init(partitions: Int, config: TopicConfig) {
        self.config = config
        self.partitions = Array(repeating: [Segment(base: 0, end: 0)], count: partitions)
        logStarts = Array(repeating: 0, count: partitions)
    }

    func logEnd(_ partition: Int) -> Int64 { partitions[partition].last!.end }

    mutating func publish(_ records: [(key: String?, value: String?, partition: Int32?)], now: Int64) {
        var chosen: [Int32] = []
        for record in records {
            if let explicit = record.partition {
                chosen.append(explicit)
            } else if let key = record.key {
                chosen.append(Partitioner.partition(forKey: Array(key.utf8), count: Int32(partitions.count)))
            } else {
                chosen.append(nextUnkeyed)
                nextUnkeyed = (nextUnkeyed + 1) % Int32(partitions.count)
            }
        }
        for partition in Set(chosen).sorted() {
            let index = Int(partition)
            let members = records.indices.filter { chosen[$0] == partition }.map { records[$0] }
            if let limit = config.segmentRecords, partitions[index].last!.records.count >= limit {
                let end = logEnd(index)
                partitions[index].append(Segment(base: end, end: end))
            }
            for record in members {
                let offset = logEnd(index)
                partitions[index][partitions[index].count - 1].records.append(Entry(offset: offset, key: record.key, value: record.value, timestamp: now))
                partitions[index][partitions[index].count - 1].end = offset + 1
            }
        }
    }

    mutating func retention(now: Int64) {
        guard config.cleanupPolicy.contains(.delete) else { return }
        for index in partitions.indices {
            // Kafka's rule: any segment but an empty active one, the active one rolled first.
            let candidates = partitions[index].last!.records.isEmpty ? partitions[index].dropLast() : partitions[index][...]
            var count = 0
            if let ms = config.retentionMs {
                count = max(count, candidates.prefix { ($0.records.map(\.timestamp).max() ?? .min) < now - ms }.count)
            }
            if let limit = config.retentionRecords {
                var remaining = Int64(partitions[index].reduce(0) { $0 + $1.records.count })
                var deletable = 0
                for segment in candidates {
                    guard remaining - Int64(segment.records.count) >= limit else { break }
                    remaining -= Int64(segment.records.count)
                    deletable += 1
                }
                count = max(count, deletable)
            }
            if count == partitions[index].count {
                let end = logEnd(index)
                partitions[index].append(Segment(base: end, end: end))
            }
            if count > 0 {
                partitions[index].removeFirst(count)
                logStarts[index] = max(logStarts[index], partitions[index][0].base)
            }
        }
    }

    mutating func compaction(now: Int64) {
        guard config.cleanupPolicy.contains(.compact) else { return }
        for index in partitions.indices where partitions[index].count > 1 {
            let closed = partitions[index].dropLast()
            var last: [String: Int64] = [:]
            for record in closed.flatMap(\.records) { if let key = record.key { last[key] = record.offset } }
            let cleaned = closed.map { segment in
                var copy = segment
                copy.records = segment.records.filter { record in
                    guard let key = record.key, last[key] == record.offset else { return false }
                    return record.value != nil || horizons[index]?[record.offset].map { now < $0 } ?? true
                }
                return copy
            }
            for record in cleaned.flatMap(\.records) where record.value == nil && horizons[index]?[record.offset] == nil {
                horizons[index, default: [:]][record.offset] = now + config.deleteRetentionMs
            }
            var merged: [Segment] = []
            var group: Segment?
            for segment in cleaned {
                if var current = group, current.records.count + segment.records.count <= (config.segmentRecords ?? .max) {
                    current.records += segment.records
                    current.end = segment.end
                    group = current
                } else {
                    if let current = group { merged.append(current) }
                    group = segment
                }
            }
            merged.append(group!)
            partitions[index] = merged.filter { !$0.records.isEmpty } + [partitions[index].last!]
        }
    }

    func records(_ partition: Int) -> [Entry] { partitions[partition].flatMap(\.records) }
}

@Suite("Broker against a reference model")
struct PropertyTests {
    static func entries(_ records: [Record]) -> [ReferenceTopic.Entry] {
        records.map { ReferenceTopic.Entry(offset: $0.offset, key: $0.key.map { String(decoding: $0, as: UTF8.self) },
                                           value: $0.value.map { String(decoding: $0, as: UTF8.self) }, timestamp: $0.timestamp) }
    }

    @Test("random appends, reads, retention, compaction, commits and restarts agree with the model", arguments: Backend.allCases, 0..<25)
    func randomOperations(backend: Backend, seed: Int) throws {
        var random = SplitMix(seed: UInt64(seed))
        var config = TopicConfig()
        config.segmentRecords = Int(random.next() % 4) + 1
        config.retentionMs = [nil, 5000, 20_000][Int(random.next() % 3)]
        config.retentionRecords = random.next() % 2 == 0 ? nil : Int64(random.next() % 8)
        config.deleteRetentionMs = Int64(random.next() % 3) * 3000
        config.cleanupPolicy = [.delete, .compact, [.delete, .compact]][Int(random.next() % 3)]
        let partitionCount = Int(random.next() % 3) + 1
        let test = try TestBroker(backend)
        let clock = test.clock
        var broker: Broker { test.broker }
        try broker.createTopic("t", partitions: partitionCount, config: config)
        var model = ReferenceTopic(partitions: partitionCount, config: config)
        var committed: [Int32: Int64] = [:]
        let compacted = config.cleanupPolicy.contains(.compact)

        for _ in 0..<60 {
            switch random.next() % 11 {
            case 10:
                try test.reopen(clean: random.next() % 2 == 0)
                if backend == .disk { model.nextUnkeyed = 0 }  // a new broker starts the round-robin again
            case 0...4:
                let records = (0..<Int(random.next() % 4) + 1).map { _ -> (key: String?, value: String?, partition: Int32?) in
                    let key: String? = compacted || random.next() % 3 > 0 ? "k\(random.next() % 5)" : nil
                    let value: String? = random.next() % 6 == 0 ? nil : "v\(random.next() % 100)"
                    let partition: Int32? = random.next() % 4 == 0 ? Int32(random.next() % UInt64(partitionCount)) : nil
                    return (key, value, partition)
                }
                let positions = try broker.publish("t", records.map { ProducerRecord(key: $0.key, value: $0.value, partition: $0.partition) }, unkeyed: .roundRobin)
                let before = (0..<partitionCount).map { model.logEnd($0) }
                model.publish(records, now: clock.now())
                #expect(positions.allSatisfy { $0.offset >= before[Int($0.partition)] && $0.offset < model.logEnd(Int($0.partition)) })
            case 5:
                try clock.advance(by: Int64(random.next() % 4000))
            case 6:
                _ = try broker.runRetention(topic: "t")
                model.retention(now: clock.now())
            case 7:
                _ = try broker.runCompaction(topic: "t", force: true)
                model.compaction(now: clock.now())
            case 8:
                let partition = Int32(random.next() % UInt64(partitionCount))
                let start = model.logStarts[Int(partition)]
                let offset = start + Int64(random.next() % UInt64(model.logEnd(Int(partition)) - start + 1))
                _ = broker.commitOffsets(groupId: "g", offsets: [TopicPartition("t", partition): CommittedOffset(offset: offset)])
                committed[partition] = offset
            default:
                let partition = Int(random.next() % UInt64(partitionCount))
                let start = model.logStarts[partition]
                let from = start + Int64(random.next() % UInt64(model.logEnd(partition) - start + 1))
                let max = Int(random.next() % 5) + 1
                let read = try broker.read("t", partition: Int32(partition), from: from, maxRecords: max)
                #expect(Self.entries(read) == Array(model.records(partition).filter { $0.offset >= from }.prefix(max)))
            }
            for partition in 0..<partitionCount {
                let offsets = try broker.offsets("t", partition: Int32(partition))
                #expect(offsets == PartitionOffsets(logStartOffset: model.logStarts[partition], logEndOffset: model.logEnd(partition)))
                let all = try broker.read("t", partition: Int32(partition), from: offsets.logStartOffset, maxRecords: .max)
                #expect(Self.entries(all) == model.records(partition))
                let segments = try broker.describeTopic("t").partitions[partition].segments
                #expect(segments.map(\.baseOffset) == model.partitions[partition].map(\.base))
                #expect(segments.map(\.recordCount) == model.partitions[partition].map(\.records.count))
            }
            let lags = try committed.isEmpty ? [] : broker.describeGroup("g").partitions
            for lag in lags {
                let partition = lag.topicPartition.partition
                #expect(lag.committedOffset == committed[partition])
                #expect(lag.lag == Swift.max(0, model.logEnd(Int(partition)) - committed[partition]!))
            }
        }
    }
}
