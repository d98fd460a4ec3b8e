@testable import EventLabCore
import EventLabTestSupport
import Testing

@Suite("Where a consumer starts: auto.offset.reset")
struct AutoOffsetResetTests {
    /// Topic `t`: 3-record segments keeping 2 records, offsets 0 to 7 on partition 0
    /// written, retention run: p0 holds 6 and 7 (it starts at 6); p1 is empty.
    func cleanedTopic(_ test: TestBroker) throws {
        var config = TopicConfig()
        config.segmentRecords = 3
        config.retentionRecords = 2
        try test.broker.createTopic("t", partitions: 2, config: config)
        for index in 0..<8 { _ = try test.broker.publish("t", [ProducerRecord(key: nil, value: "v\(index)", partition: 0)]) }
        _ = try test.broker.runRetention(topic: "t")
        #expect(try test.broker.offsets("t", partition: 0) == PartitionOffsets(logStartOffset: 6, logEndOffset: 8))
    }

    @Test("a valid committed offset is kept; none, one below the log start or past the log end go where the rule says, also after a restart", arguments: Backend.allCases)
    func committedOffsets(backend: Backend) throws {
        let test = try TestBroker(backend)
        try cleanedTopic(test)
        _ = test.broker.commitOffsets(groupId: "kept", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 7)])
        _ = test.broker.commitOffsets(groupId: "behind", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 2)])
        _ = test.broker.commitOffsets(groupId: "ahead", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 20)])
        try test.reopen(clean: true)
        let broker = test.broker
        let p0 = TopicPartition("t", 0), p1 = TopicPartition("t", 1)
        #expect(try broker.consumerStarts(groupId: "kept", topic: "t", partitions: [0], reset: .latest)
            == [ConsumerStart(topicPartition: p0, offset: 7, reason: nil)])
        #expect(try broker.consumerStarts(groupId: "new", topic: "t", partitions: [0, 1], reset: .earliest) == [
            ConsumerStart(topicPartition: p0, offset: 6, reason: .noCommittedOffset),
            ConsumerStart(topicPartition: p1, offset: 0, reason: .noCommittedOffset),
        ])
        #expect(try broker.consumerStarts(groupId: "new", topic: "t", partitions: [0], reset: .latest)
            == [ConsumerStart(topicPartition: p0, offset: 8, reason: .noCommittedOffset)])
        #expect(try broker.consumerStarts(groupId: "behind", topic: "t", partitions: [0], reset: .earliest)
            == [ConsumerStart(topicPartition: p0, offset: 6, reason: .belowLogStart(offset: 2, logStart: 6))])
        #expect(try broker.consumerStarts(groupId: "behind", topic: "t", partitions: [0], reset: .latest)
            == [ConsumerStart(topicPartition: p0, offset: 8, reason: .belowLogStart(offset: 2, logStart: 6))])
        #expect(try broker.consumerStarts(groupId: "ahead", topic: "t", partitions: [0], reset: .earliest)
            == [ConsumerStart(topicPartition: p0, offset: 6, reason: .pastLogEnd(offset: 20, logEnd: 8))])
    }

    @Test("auto.offset.reset=none fails with Kafka's sentences and OFFSET_OUT_OF_RANGE", arguments: Backend.allCases)
    func none(backend: Backend) throws {
        let test = try TestBroker(backend)
        try cleanedTopic(test)
        _ = test.broker.commitOffsets(groupId: "behind", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 2)])
        let undefined = brokerError { _ = try test.broker.consumerStarts(groupId: "new", topic: "t", partitions: [0, 1], reset: .none) }
        #expect(undefined?.code == .offsetOutOfRange)
        #expect(undefined?.message.hasPrefix("Undefined offset with no reset policy for partitions: [t-0, t-1]") == true)
        let behind = brokerError { _ = try test.broker.consumerStarts(groupId: "behind", topic: "t", partitions: [0], reset: .none) }
        #expect(behind?.code == .offsetOutOfRange)
        #expect(behind?.message.hasPrefix("The requested offset is not within the range of offsets maintained by the server (offset 2; t p0 holds 6 to log end 8)") == true)
        _ = test.broker.commitOffsets(groupId: "kept", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 6)])
        #expect(try test.broker.consumerStarts(groupId: "kept", topic: "t", partitions: [0], reset: .none).map(\.offset) == [6])
    }

    @Test("the log end is a valid position; one past it is not")
    func bounds() throws {
        let p = TopicPartition("t", 0)
        #expect(try AutoOffsetReset.latest.start(p, at: 5, logStart: 2, logEnd: 5).reason == nil)
        #expect(try AutoOffsetReset.latest.start(p, at: 2, logStart: 2, logEnd: 5).reason == nil)
        #expect(try AutoOffsetReset.earliest.start(p, at: 6, logStart: 2, logEnd: 5) == ConsumerStart(topicPartition: p, offset: 2, reason: .pastLogEnd(offset: 6, logEnd: 5)))
        #expect(try AutoOffsetReset.latest.start(p, at: 1, logStart: 2, logEnd: 5) == ConsumerStart(topicPartition: p, offset: 5, reason: .belowLogStart(offset: 1, logStart: 2)))
    }
}
