import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("Segments, retention and compaction")
struct SegmentTests {
    func topic(_ backend: Backend, _ configure: (inout TopicConfig) -> Void) throws -> (Broker, LogicalClock) {
        let (broker, clock) = makeBroker(backend)
        var config = TopicConfig()
        configure(&config)
        try broker.createTopic("t", partitions: 1, config: config)
        return (broker, clock)
    }

    func segments(_ broker: Broker) throws -> [SegmentInfo] {
        try broker.describeTopic("t").partitions[0].segments
    }

    @Test("a segment rolls at the first batch boundary past segment.records, never inside a batch", arguments: Backend.allCases)
    func rollByRecords(backend: Backend) throws {
        let (broker, _) = try topic(backend) { $0.segmentRecords = 3 }
        _ = try broker.publish("t", (0..<2).map { ProducerRecord(key: nil, value: "a\($0)") })
        _ = try broker.publish("t", (0..<2).map { ProducerRecord(key: nil, value: "b\($0)") })
        _ = try broker.publish("t", [ProducerRecord(key: nil, value: "c")])
        #expect(try segments(broker).map(\.baseOffset) == [0, 4])
        #expect(try segments(broker).map(\.recordCount) == [4, 1])
    }

    @Test("a segment rolls before a batch that would take it past segment.bytes", arguments: Backend.allCases)
    func rollByBytes(backend: Backend) throws {
        let (broker, _) = try topic(backend) { $0.segmentBytes = 200 }
        try broker.publishEach("t", (0..<5).map { (nil, "value-\($0)") })
        let sizes = try segments(broker).map(\.byteCount)
        #expect(sizes.count > 1)
        #expect(sizes.allSatisfy { $0 <= 200 })
    }

    @Test("a segment rolls once it is older than segment.ms", arguments: Backend.allCases)
    func rollByAge(backend: Backend) throws {
        let (broker, clock) = try topic(backend) { $0.segmentMs = 60_000 }
        try broker.publishEach("t", [(nil, "a")])
        try clock.advance(by: 60_000)
        try broker.publishEach("t", [(nil, "b")])
        #expect(try segments(broker).map(\.baseOffset) == [0, 1])
    }

    @Test("time retention deletes every segment whose newest record is past retention.ms, the active one rolled first", arguments: Backend.allCases)
    func retentionByTime(backend: Backend) throws {
        let (broker, clock) = try topic(backend) {
            $0.segmentRecords = 3
            $0.retentionMs = 86_400_000
        }
        try broker.publishEach("t", (0..<4).map { (nil, "v\($0)") })
        try clock.advance(by: 2 * 86_400_000)
        let result = try broker.runRetention(topic: "t")
        #expect(result[TopicPartition("t", 0)]?.deletedSegments.map(\.baseOffset) == [0, 3])
        #expect(result[TopicPartition("t", 0)]?.logStartOffset == 4)
        #expect(try broker.offsets("t", partition: 0) == PartitionOffsets(logStartOffset: 4, logEndOffset: 4))
        #expect(try segments(broker).map(\.baseOffset) == [4])
        #expect(try broker.values("t").isEmpty)
        #expect(brokerError { _ = try broker.read("t", partition: 0, from: 0) }?.code == .offsetOutOfRange)
        try broker.publishEach("t", [(nil, "v4")])
        #expect(try broker.offsets("t", partition: 0) == PartitionOffsets(logStartOffset: 4, logEndOffset: 5))
        #expect(try broker.values("t") == ["v4"])
    }

    @Test("a segment expires by its newest record: one young record keeps its older neighbours", arguments: Backend.allCases)
    func retentionBySegmentsNewest(backend: Backend) throws {
        let (broker, clock) = try topic(backend) {
            $0.segmentRecords = 3
            $0.retentionMs = 86_400_000
        }
        try broker.publishEach("t", (0..<4).map { (nil, "v\($0)") })
        try clock.advance(by: 2 * 86_400_000)
        try broker.publishEach("t", [(nil, "v4")])
        let result = try broker.runRetention(topic: "t")
        #expect(result[TopicPartition("t", 0)]?.deletedSegments.map(\.baseOffset) == [0])
        #expect(try broker.values("t") == ["v3", "v4"])
        #expect(try broker.runRetention(topic: "t").isEmpty)
    }

    @Test("records without a timestamp (-1) are never old by time; size retention still removes them", arguments: Backend.allCases)
    func recordsWithoutTimestamp(backend: Backend) throws {
        let (broker, clock) = try topic(backend) {
            $0.segmentRecords = 1
            $0.retentionMs = 86_400_000
        }
        for value in ["a", "b", "c"] { _ = try broker.publish("t", [ProducerRecord(value: Array(value.utf8), timestamp: -1)]) }
        try clock.advance(by: 2 * 86_400_000)
        #expect(try broker.runRetention().isEmpty)
        #expect(try broker.values("t") == ["a", "b", "c"])
        var config = try broker.describeTopic("t").config
        config.retentionRecords = 1
        try broker.alterTopic("t", config: config)
        #expect(try broker.runRetention()[TopicPartition("t", 0)]?.deletedSegments.count == 2)
    }

    @Test("records younger than retention.ms are kept", arguments: Backend.allCases)
    func retentionKeepsYoung(backend: Backend) throws {
        let (broker, clock) = try topic(backend) { $0.segmentRecords = 1 }
        try broker.publishEach("t", (0..<3).map { (nil, "v\($0)") })
        try clock.advance(by: 1000)
        #expect(try broker.runRetention().isEmpty)
        #expect(try broker.values("t").count == 3)
    }

    @Test("size retention deletes the oldest segments while the rest still hold retention.bytes", arguments: Backend.allCases)
    func retentionBySize(backend: Backend) throws {
        let (broker, _) = try topic(backend) {
            $0.segmentRecords = 1
            $0.retentionBytes = 150
        }
        try broker.publishEach("t", (0..<5).map { (nil, "v\($0)") })
        let sizes = try segments(broker).map(\.byteCount)
        _ = try broker.runRetention(topic: "t")
        let kept = try segments(broker).map(\.byteCount).reduce(0, +)
        #expect(kept >= 150)
        #expect(kept - sizes[0] < 150)
    }

    @Test("record-count retention keeps at least retention.records records", arguments: Backend.allCases)
    func retentionByRecords(backend: Backend) throws {
        let (broker, _) = try topic(backend) {
            $0.segmentRecords = 2
            $0.retentionRecords = 3
        }
        try broker.publishEach("t", (0..<7).map { (nil, "v\($0)") })
        _ = try broker.runRetention(topic: "t")
        #expect(try broker.values("t") == ["v4", "v5", "v6"])
    }

    @Test("compaction keeps the last record per key in closed segments and keeps offsets, leaving gaps", arguments: Backend.allCases)
    func compactionKeepsLastPerKey(backend: Backend) throws {
        let (broker, _) = try topic(backend) {
            $0.cleanupPolicy = .compact
            $0.segmentRecords = 3
        }
        try broker.publishEach("t", [("a", "a1"), ("b", "b1"), ("a", "a2"), ("c", "c1"), ("a", "a3"), ("b", "b2"), ("a", "a4")])
        let result = try broker.runCompaction(topic: "t")
        #expect(result[TopicPartition("t", 0)]?.removedRecords == 3)
        let records = try broker.read("t", partition: 0, from: 0, maxRecords: 100)
        #expect(records.map(\.offset) == [3, 4, 5, 6])
        #expect(try broker.values("t") == ["c1", "a3", "b2", "a4"])
    }

    @Test("the active segment is never cleaned and its records do not count as later ones", arguments: Backend.allCases)
    func activeSegmentUntouched(backend: Backend) throws {
        let (broker, _) = try topic(backend) {
            $0.cleanupPolicy = .compact
            $0.segmentRecords = 2
        }
        try broker.publishEach("t", [("a", "a1"), ("b", "b1"), ("a", "a2")])
        #expect(try broker.runCompaction(topic: "t").values.allSatisfy { !$0.changed })
        #expect(try broker.values("t") == ["a1", "b1", "a2"])
    }

    @Test("a tombstone survives compaction until delete.retention.ms has passed, then goes", arguments: Backend.allCases)
    func tombstones(backend: Backend) throws {
        let (broker, clock) = try topic(backend) {
            $0.cleanupPolicy = .compact
            $0.segmentRecords = 2
            $0.deleteRetentionMs = 60_000
        }
        try broker.publishEach("t", [("a", "a1"), ("a", nil), ("b", "b1")])
        _ = try broker.runCompaction(topic: "t")
        #expect(try broker.values("t") == [nil, "b1"])
        try clock.advance(by: 60_000)
        _ = try broker.runCompaction(topic: "t", force: true)
        #expect(try broker.values("t") == ["b1"])
        #expect(try broker.offsets("t", partition: 0).logStartOffset == 0)
    }

    @Test("re-encoded batches carry a valid CRC and untouched batches keep their bytes", arguments: Backend.allCases)
    func compactedBatchesAreValid(backend: Backend) throws {
        let (broker, _) = try topic(backend) {
            $0.cleanupPolicy = .compact
            $0.segmentRecords = 10
        }
        _ = try broker.publish("t", [ProducerRecord(key: "a", value: "1"), ProducerRecord(key: "b", value: "1")])
        let untouched = try broker.fetch("t", partition: 0, from: 0, maxBytes: 1).batches()[0]
        _ = try broker.publish("t", [ProducerRecord(key: "a", value: "2"), ProducerRecord(key: "c", value: "1")])
        try broker.alterTopic("t", config: { var c = try broker.describeTopic("t").config; c.segmentRecords = 1; return c }())
        _ = try broker.publish("t", [ProducerRecord(key: "z", value: "roll")])
        _ = try broker.runCompaction(topic: "t")
        for batch in try broker.fetch("t", partition: 0, from: 0, maxBytes: .max).batches() {
            #expect(throws: Never.self) { _ = try RecordBatch(validating: batch.encoded()) }
        }
        #expect(untouched.encoded() != (try broker.fetch("t", partition: 0, from: 0, maxBytes: 1).batches()[0].encoded()))
        #expect(try broker.values("t") == ["1", "2", "1", "roll"])
    }

    @Test("cleaned segments merge while they fit one segment", arguments: Backend.allCases)
    func mergeAfterCompaction(backend: Backend) throws {
        let (broker, _) = try topic(backend) {
            $0.cleanupPolicy = .compact
            $0.segmentRecords = 2
        }
        try broker.publishEach("t", [("a", "1"), ("a", "2"), ("a", "3"), ("b", "1"), ("a", "4"), ("a", "5"), ("c", "1")])
        #expect(try segments(broker).count == 4)
        _ = try broker.runCompaction(topic: "t")
        #expect(try segments(broker).map(\.baseOffset) == [0, 6])
        #expect(try broker.values("t") == ["1", "5", "1"])
    }

    @Test("a delete-policy topic is not compacted, and a compact-only topic is not deleted by retention", arguments: Backend.allCases)
    func policiesAreIndependent(backend: Backend) throws {
        let (broker, clock) = try topic(backend) {
            $0.cleanupPolicy = .compact
            $0.segmentRecords = 1
            $0.retentionMs = 1
        }
        try broker.publishEach("t", [("a", "1"), ("b", "1")])
        try clock.advance(by: 10)
        #expect(try broker.runRetention().isEmpty)
        try broker.createTopic("d", partitions: 1, config: { var c = TopicConfig(); c.segmentRecords = 1; return c }())
        try broker.publishEach("d", [("a", "1"), ("a", "2"), ("a", "3")])
        #expect(try broker.runCompaction(topic: "d").isEmpty)
    }

    @Test("the retention check runs on the broker clock at its due time, every log.retention.check.interval.ms", arguments: Backend.allCases)
    func scheduled(backend: Backend) throws {
        let (broker, clock) = try topic(backend) {
            $0.segmentRecords = 1
            $0.retentionMs = 1000
        }
        let start = clock.now()
        let check = broker.scheduler.pending(.broker).filter { $0.label == Broker.retentionCheckLabel }
        #expect(check.count == 1)
        #expect(check.map(\.due) == [start + 300_000])
        #expect(check.map(\.period) == [300_000])
        try broker.publishEach("t", [(nil, "1"), (nil, "2")])
        try broker.scheduler.advanceClock(by: 2000)
        #expect(broker.notices.take().isEmpty)
        #expect(try broker.values("t").count == 2)
        try broker.scheduler.advanceClock(by: 300_000)
        let cleanings = broker.notices.take().cleanings
        #expect(cleanings.map(\.at) == [start + 300_000])
        #expect(cleanings.first?.retention[TopicPartition("t", 0)]?.deletedSegments.count == 2)
        #expect(try broker.values("t").isEmpty)
        try broker.scheduler.advanceClock(by: 300_000)
        #expect(broker.notices.take().isEmpty)
    }

    @Test("the check runs every configured log.retention.check.interval.ms, at its due time", arguments: Backend.allCases)
    func scheduledAtConfiguredInterval(backend: Backend) throws {
        var settings = BrokerConfig()
        try settings.set("log.retention.check.interval.ms=1000")
        let test = try TestBroker(backend, config: settings)
        let (broker, start) = (test.broker, test.clock.now())
        var config = TopicConfig()
        config.segmentRecords = 1
        config.retentionMs = 500
        try broker.createTopic("t", partitions: 1, config: config)
        try broker.publishEach("t", [(nil, "1"), (nil, "2")])
        try broker.scheduler.advanceClock(by: 1400)
        try broker.publishEach("t", [(nil, "3")])
        try broker.scheduler.advanceClock(by: 500)
        #expect(try broker.values("t") == ["3"])
        try broker.scheduler.advanceClock(by: 100)
        let cleanings = broker.notices.take().cleanings
        #expect(cleanings.map(\.at) == [start + 1000, start + 2000])
        #expect(cleanings.map { $0.retention[TopicPartition("t", 0)]?.logStartOffset } == [2, 3])
        #expect(try broker.values("t").isEmpty)
        #expect(broker.scheduler.pending(.broker).filter { $0.label == Broker.retentionCheckLabel }.map(\.due) == [start + 3000])
    }

    @Test("the log cleaner runs on its own every log.cleaner.backoff.ms, however rare the retention check, and the retention check does not compact", arguments: Backend.allCases)
    func cleanerRunsApartFromRetention(backend: Backend) throws {
        var settings = BrokerConfig()
        try settings.set("log.retention.check.interval.ms=1000000000000")
        let cleaned = try TestBroker(backend, config: settings)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentRecords = 3
        let start = cleaned.clock.now()
        try cleaned.broker.createTopic("t", partitions: 1, config: config)
        try cleaned.broker.publishEach("t", [("a", "a1"), ("b", "b1"), ("a", "a2"), ("c", "c1"), ("a", "a3"), ("b", "b2"), ("a", "a4")])
        #expect(cleaned.broker.scheduler.pending(.broker).filter { $0.label == Broker.logCleanerLabel }.map(\.period) == [15_000])
        try cleaned.broker.scheduler.advanceClock(by: 14_999)
        #expect(cleaned.broker.notices.take().isEmpty)
        try cleaned.broker.scheduler.advanceClock(by: 1)
        let cleanings = cleaned.broker.notices.take().cleanings
        #expect(cleanings.map(\.at) == [start + 15_000])
        #expect(cleanings.first?.compaction[TopicPartition("t", 0)]?.removedRecords == 3)
        #expect(try cleaned.broker.values("t") == ["c1", "a3", "b2", "a4"])

        settings = BrokerConfig()
        try settings.set("log.retention.check.interval.ms=1000")
        try settings.set("log.cleaner.backoff.ms=1000000000000")
        let retained = try TestBroker(backend, config: settings)
        try retained.broker.createTopic("t", partitions: 1, config: config)
        try retained.broker.publishEach("t", [("a", "a1"), ("b", "b1"), ("a", "a2"), ("c", "c1"), ("a", "a3"), ("b", "b2"), ("a", "a4")])
        try retained.broker.scheduler.advanceClock(by: 60_000)
        #expect(retained.broker.notices.take().isEmpty)
        #expect(try retained.broker.values("t").count == 7)
    }

    @Test("when retention moves the log start past the cleaner checkpoint, the checkpoint moves up to the log start, and stays there after a restart", arguments: Backend.allCases)
    func checkpointFollowsLogStart(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = [.compact, .delete]
        config.segmentRecords = 1
        config.retentionMs = 1000
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "5")])
        try test.clock.advance(by: 2000)
        #expect(try test.broker.runRetention()[TopicPartition("t", 0)]?.logStartOffset == 5)
        #expect(try test.broker.describeTopic("t").partitions[0].cleanerCheckpoint == 5)
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("t").partitions[0].cleanerCheckpoint == 5)
    }
}
