import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("Publishing and reading")
struct PublishAndReadTests {
    @Test("offsets start at 0 per partition and the answer names each record's place", arguments: Backend.allCases)
    func positions(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 3)
        let positions = try broker.publish("orders", [
            ProducerRecord(key: "key0", value: "a"), ProducerRecord(key: "key1", value: "b"),
            ProducerRecord(key: "key0", value: "c"), ProducerRecord(key: nil, value: "d", partition: 0),
        ])
        #expect(positions == [
            RecordPosition(partition: 1, offset: 0), RecordPosition(partition: 2, offset: 0),
            RecordPosition(partition: 1, offset: 1), RecordPosition(partition: 0, offset: 0),
        ])
        #expect(try broker.values("orders", partition: 1) == ["a", "c"])
    }

    @Test("records keep their key, value, headers and the clock's timestamp", arguments: Backend.allCases)
    func recordContents(backend: Backend) throws {
        let (broker, clock) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 1)
        try clock.advance(by: 5000)
        let header = RecordHeader(key: "source", value: bytes("web"))
        _ = try broker.publish("orders", [ProducerRecord(key: bytes("o-1"), value: nil, headers: [header])])
        let record = try #require(try broker.read("orders", partition: 0, from: 0).first)
        #expect(record == Record(offset: 0, timestamp: LogicalClock.start + 5000, key: bytes("o-1"), value: nil, headers: [header]))
        #expect(record.isTombstone)
    }

    @Test("reads stop at max records, and return at least one record past max bytes", arguments: Backend.allCases)
    func readLimits(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        try broker.publishEach("t", (0..<10).map { (nil, "value-\($0)") })
        #expect(try broker.read("t", partition: 0, from: 3, maxRecords: 4).map(\.offset) == [3, 4, 5, 6])
        #expect(try broker.read("t", partition: 0, from: 3, maxRecords: 100, maxBytes: 1).map(\.offset) == [3])
        #expect(try broker.read("t", partition: 0, from: 10).isEmpty)
    }

    @Test("reading inside a batch starts at the asked offset", arguments: Backend.allCases)
    func readInsideBatch(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        _ = try broker.publish("t", (0..<5).map { ProducerRecord(key: nil, value: "v\($0)") })
        #expect(try broker.read("t", partition: 0, from: 2).map(\.offset) == [2, 3, 4])
        #expect(try broker.fetch("t", partition: 0, from: 2, maxBytes: 1).batches().count == 1)
    }

    @Test("reading outside the log is OFFSET_OUT_OF_RANGE with the valid range", arguments: Backend.allCases)
    func outOfRange(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        try broker.publishEach("t", [(nil, "a"), (nil, "b")])
        let error = brokerError { _ = try broker.read("t", partition: 0, from: 3) }
        #expect(error?.code == .offsetOutOfRange)
        #expect(error?.message.contains("offsets 0 to 1 (log-end 2)") == true)
        #expect(brokerError { _ = try broker.read("t", partition: 0, from: -1) }?.code == .offsetOutOfRange)
    }

    @Test("a partition that does not exist is UNKNOWN_TOPIC_OR_PARTITION, for reads and writes", arguments: Backend.allCases)
    func unknownPartition(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 2)
        let error = brokerError { _ = try broker.read("t", partition: 2, from: 0) }
        #expect(error?.message == "topic 't' has no partition 2: its partitions are 0 to 1")
        #expect(brokerError { _ = try broker.publish("t", [ProducerRecord(key: nil, value: "x", partition: 5)]) }?.code == .unknownTopicOrPartition)
        #expect(brokerError { _ = try broker.publish("nope", [ProducerRecord(key: nil, value: "x")]) }?.code == .unknownTopicOrPartition)
    }

    @Test("a record over max.message.bytes is refused and nothing of the call is appended", arguments: Backend.allCases)
    func tooLarge(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        var config = TopicConfig()
        config.maxMessageBytes = 200
        try broker.createTopic("t", partitions: 2, config: config)
        let records = [
            ProducerRecord(key: nil, value: "small", partition: 0),
            ProducerRecord(key: nil, value: String(repeating: "x", count: 300), partition: 1),
        ]
        let error = brokerError { _ = try broker.publish("t", records) }
        #expect(error?.code == .messageTooLarge)
        #expect(error?.message.contains("max.message.bytes is 200") == true)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 0)
    }

    @Test("max.message.bytes applies to a batch's size as sent: a compressed batch that inflates past it is stored", arguments: Backend.allCases)
    func limitAppliesAsSent(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        var config = TopicConfig()
        config.maxMessageBytes = 200
        try broker.createTopic("t", partitions: 1, config: config)
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: 5, key: nil, value: Array(repeating: 0x78, count: 300))])
        #expect(try broker.append(batch, topic: "t", partition: 0, sentBytes: 120) == 0)
        let refused = brokerError { _ = try broker.append(batch, topic: "t", partition: 0, sentBytes: 201) }
        #expect(refused?.code == .messageTooLarge)
        #expect(refused?.message == "the batch is 201 bytes as sent (compressed); this topic's max.message.bytes is 200")
        #expect(brokerError { _ = try broker.append(batch, topic: "t", partition: 0) }?.code == .messageTooLarge)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 1)
    }

    @Test("unkeyed sends stick to a partition until batch.size bytes have gone there, then move to the seeded source's next pick", arguments: Backend.allCases)
    func stickyPlacement(backend: Backend) throws {
        let (broker, clock) = makeBroker(backend)
        try broker.createTopic("clicks", partitions: 4)
        let value = String(repeating: "x", count: 100)
        // Each send is a batch of one record: what it adds to the sticky partition's bytes.
        let sendBytes = RecordBatch(records: [Record(offset: 0, timestamp: clock.now(), key: nil, value: bytes(value))]).byteCount
        let perPartition = (StickyPartitioner.defaultBatchSize + sendBytes - 1) / sendBytes
        var oracle = SeededRandom()
        let picks = (0..<6).map { _ in oracle.partition(count: 4) }
        let placed = try (0..<(perPartition * 5 + 1)).map { _ in try broker.publish("clicks", [ProducerRecord(key: nil, value: value)])[0].partition }
        #expect(placed == picks.flatMap { Array(repeating: $0, count: perPartition) }.prefix(placed.count).map { $0 })
        #expect(Set(picks).count > 1)
        let sticky = try broker.stickyPartitioner("clicks")
        #expect(sticky.current == picks[5] && sticky.producedBytes == sendBytes)
        let turns = try broker.publish("clicks", (0..<5).map { _ in ProducerRecord(key: nil, value: value) }, unkeyed: .roundRobin)
        #expect(turns.map(\.partition) == [0, 1, 2, 3, 0])
        #expect(try broker.stickyPartitioner("clicks") == sticky)
    }

    @Test("one send of many unkeyed records fills batch.size on one partition before moving", arguments: Backend.allCases)
    func stickyInOneSend(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("clicks", partitions: 3)
        let records = (0..<3000).map { ProducerRecord(key: nil, value: "event-\($0 % 10)") }
        let placed = try broker.publish("clicks", records).map(\.partition)
        let firstRun = placed.prefix { $0 == placed[0] }.count
        let batch = RecordBatch(records: (0..<firstRun).map { Record(offset: Int64($0), timestamp: 0, key: nil, value: records[$0].value) })
        let lessOne = RecordBatch(records: (0..<(firstRun - 1)).map { Record(offset: Int64($0), timestamp: 0, key: nil, value: records[$0].value) })
        #expect(batch.byteCount >= StickyPartitioner.defaultBatchSize && lessOne.byteCount < StickyPartitioner.defaultBatchSize)
        #expect(Set(placed).count > 1)
    }

    @Test("a compacted topic refuses records without a key", arguments: Backend.allCases)
    func compactedNeedsKeys(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        try broker.createTopic("users", partitions: 1, config: config)
        #expect(brokerError { _ = try broker.publish("users", [ProducerRecord(key: nil, value: "x")]) }?.code == .invalidRecord)
        #expect(try broker.offsets("users", partition: 0).logEndOffset == 0)
    }

    @Test("a producer's batch is stored byte for byte with only its base offset rewritten", arguments: Backend.allCases)
    func appendBatchVerbatim(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        try broker.publishEach("t", [(nil, "first")])
        let batch = try RecordBatch(validating: fixture("record-batch-mixed.hex"))
        #expect(try broker.append(batch, topic: "t", partition: 0) == 1)
        let stored = try #require(try broker.fetch("t", partition: 0, from: 1, maxBytes: 1 << 20).batches().first)
        #expect(Array(stored.bytesAfterBaseOffset) == Array(batch.bytesAfterBaseOffset))
        #expect(stored.baseOffset == 1)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 4)
    }

    @Test("the first offset at or after a time is found across segments; none after the last record", arguments: Backend.allCases)
    func offsetForTime(backend: Backend) throws {
        let (broker, clock) = makeBroker(backend)
        var config = TopicConfig()
        config.segmentRecords = 2
        try broker.createTopic("t", partitions: 1, config: config)
        for index in 0..<6 {
            try broker.publishEach("t", [(nil, "v\(index)")])
            try clock.advance(by: 1000)
        }
        let start = LogicalClock.start
        #expect(try broker.offset("t", partition: 0, atOrAfter: start) == 0)
        #expect(try broker.offset("t", partition: 0, atOrAfter: start + 2500) == 3)
        #expect(try broker.offset("t", partition: 0, atOrAfter: start + 5000) == 5)
        #expect(try broker.offset("t", partition: 0, atOrAfter: start + 5001) == nil)
    }
}
