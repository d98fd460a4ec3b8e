@testable import EventLabCore
import EventLabTestSupport
import Testing

@Suite("Deleting records before an offset (DeleteRecords)")
struct DeleteRecordsTests {
    /// Topic `t`, partition 0: offsets 0 to 9 in 3-record segments (0-2, 3-5, 6-8, 9 active).
    func tenRecords(_ test: TestBroker, config: TopicConfig = TopicConfig()) throws {
        var config = config
        config.segmentRecords = 3
        try test.broker.createTopic("t", partitions: 2, config: config)
        for index in 0..<10 { _ = try test.broker.publish("t", [ProducerRecord(key: "k", value: "v\(index)", partition: 0)]) }
    }

    @Test("the log start moves to the offset, earlier records cannot be read, whole segments before it go, and it survives a restart", arguments: Backend.allCases)
    func movesLogStart(backend: Backend) throws {
        let test = try TestBroker(backend)
        try tenRecords(test)
        #expect(try test.broker.deleteRecords("t", partition: 0, before: 7) == 7)
        #expect(try test.broker.offsets("t", partition: 0) == PartitionOffsets(logStartOffset: 7, logEndOffset: 10))
        #expect(try test.broker.values("t") == ["v7", "v8", "v9"])
        #expect(try test.broker.describeTopic("t").partitions[0].segments.map(\.baseOffset) == [6, 9])
        #expect(brokerError { _ = try test.broker.read("t", partition: 0, from: 6, maxRecords: 1) }?.code == .offsetOutOfRange)
        for clean in [true, false] {
            try test.reopen(clean: clean)
            #expect(try test.broker.offsets("t", partition: 0) == PartitionOffsets(logStartOffset: 7, logEndOffset: 10))
            #expect(try test.broker.values("t") == ["v7", "v8", "v9"])
        }
        _ = try test.broker.publish("t", [ProducerRecord(key: "k", value: "v10", partition: 0)])
        #expect(try test.broker.values("t") == ["v7", "v8", "v9", "v10"])
    }

    @Test("-1 deletes up to the high watermark: every record goes, and new ones follow", arguments: Backend.allCases)
    func toHighWatermark(backend: Backend) throws {
        let test = try TestBroker(backend)
        try tenRecords(test)
        #expect(try test.broker.deleteRecords("t", partition: 0, before: Broker.deleteRecordsToHighWatermark) == 10)
        #expect(try test.broker.values("t") == [])
        try test.reopen(clean: false)
        #expect(try test.broker.offsets("t", partition: 0) == PartitionOffsets(logStartOffset: 10, logEndOffset: 10))
        _ = try test.broker.publish("t", [ProducerRecord(key: "k", value: "v10", partition: 0)])
        #expect(try test.broker.values("t") == ["v10"])
        #expect(try test.broker.deleteRecords("t", partition: 1, before: -1) == 0)
    }

    @Test("an offset at or below the log start changes nothing and answers the current log start", arguments: Backend.allCases)
    func belowLogStart(backend: Backend) throws {
        let test = try TestBroker(backend)
        try tenRecords(test)
        try test.broker.deleteRecords("t", partition: 0, before: 5)
        #expect(try test.broker.deleteRecords("t", partition: 0, before: 2) == 5)
        #expect(try test.broker.deleteRecords("t", partition: 0, before: 5) == 5)
        #expect(try test.broker.values("t") == ["v5", "v6", "v7", "v8", "v9"])
    }

    @Test("an offset above the high watermark is OFFSET_OUT_OF_RANGE, an unknown topic or partition UNKNOWN_TOPIC_OR_PARTITION, a compact-only topic POLICY_VIOLATION; nothing changes", arguments: Backend.allCases)
    func refused(backend: Backend) throws {
        let test = try TestBroker(backend)
        try tenRecords(test)
        let high = brokerError { try test.broker.deleteRecords("t", partition: 0, before: 11) }
        #expect(high?.code == .offsetOutOfRange)
        #expect(high?.message == "cannot delete records of t partition 0 before offset 11: it must be 0 to the high watermark 10 (or -1 for the high watermark)")
        #expect(brokerError { try test.broker.deleteRecords("t", partition: 0, before: -2) }?.code == .offsetOutOfRange)
        #expect(brokerError { try test.broker.deleteRecords("t", partition: 2, before: 0) }?.code == .unknownTopicOrPartition)
        #expect(brokerError { try test.broker.deleteRecords("nope", partition: 0, before: 0) }?.code == .unknownTopicOrPartition)
        var compact = TopicConfig()
        compact.cleanupPolicy = .compact
        try test.broker.createTopic("c", partitions: 1, config: compact)
        _ = try test.broker.publish("c", [ProducerRecord(key: "k", value: "v", partition: 0)])
        #expect(brokerError { try test.broker.deleteRecords("c", partition: 0, before: 1) }?.code == .policyViolation)
        #expect(try test.broker.offsets("c", partition: 0).logStartOffset == 0)
        #expect(try test.broker.offsets("t", partition: 0) == PartitionOffsets(logStartOffset: 0, logEndOffset: 10))
    }

    @Test("a group behind the new log start is reset by auto.offset.reset", arguments: Backend.allCases)
    func groupBehind(backend: Backend) throws {
        let test = try TestBroker(backend)
        try tenRecords(test)
        _ = test.broker.commitOffsets(groupId: "behind", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 2)])
        try test.broker.deleteRecords("t", partition: 0, before: 4)
        #expect(try test.broker.consumerStarts(groupId: "behind", topic: "t", partitions: [0], reset: .earliest)
            == [ConsumerStart(topicPartition: TopicPartition("t", 0), offset: 4, reason: .belowLogStart(offset: 2, logStart: 4))])
    }

    @Test("retention and compaction after it keep the log start", arguments: Backend.allCases)
    func cleaningAfter(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = [.compact, .delete]
        try tenRecords(test, config: config)
        try test.broker.deleteRecords("t", partition: 0, before: 4)
        _ = try test.broker.runRetention(topic: "t")
        _ = try test.broker.runCompaction(topic: "t", force: true)
        #expect(try test.broker.offsets("t", partition: 0).logStartOffset == 4)
        #expect(try test.broker.values("t").last == "v9")
        try test.reopen(clean: false)
        #expect(try test.broker.offsets("t", partition: 0).logStartOffset == 4)
    }
}
