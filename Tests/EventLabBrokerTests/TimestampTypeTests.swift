import EventLabCore
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// `message.timestamp.type`: which time a record carries, and the batch header the log keeps.
@Suite("Timestamp types")
struct TimestampTypeTests {
    /// A client's batch of three records stamped 1000, 1001 and 1002, as a producer sends it.
    let produced = RecordBatch(records: (0..<3).map {
        Record(offset: Int64($0), timestamp: 1000 + Int64($0), key: bytes("k\($0)"), value: bytes("v\($0)"))
    })

    func logAppendTimeTopic(_ test: TestBroker) throws {
        var config = TopicConfig()
        config.messageTimestampType = .logAppendTime
        try test.broker.createTopic("t", partitions: 1, config: config)
    }

    @Test("LogAppendTime: the broker stamps each batch with its clock, rewriting the header with a CRC that checks", arguments: Backend.allCases)
    func logAppendTimeStamps(backend: Backend) throws {
        let test = try TestBroker(backend)
        try logAppendTimeTopic(test)
        let appended = test.clock.now()
        #expect(try test.broker.append(produced, topic: "t", partition: 0) == 0)
        try test.clock.advance(by: 60_000)
        try test.broker.publishEach("t", [(nil, "shell")])
        try test.reopen(clean: true)
        // `batches()` reads each fetched batch through its CRC check.
        let batches = try test.broker.fetch("t", partition: 0, from: 0, maxBytes: 1 << 20).batches()
        #expect(batches.map(\.isLogAppendTime) == [true, true])
        #expect(batches.map(\.maxTimestamp) == [appended, appended + 60_000])
        #expect(batches[0].baseTimestamp == 1000)
        #expect(try test.broker.read("t", partition: 0, from: 0).map(\.timestamp) == [appended, appended, appended, appended + 60_000])
        #expect(try test.broker.describeTopic("t").partitions[0].segments[0].maxTimestamp == appended + 60_000)
    }

    @Test("compaction keeps a LogAppendTime batch it shrinks stamped as LogAppendTime, with its append time", arguments: Backend.allCases)
    func compactionKeepsLogAppendTime(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.messageTimestampType = .logAppendTime
        config.cleanupPolicy = .compact
        config.segmentRecords = 3
        try test.broker.createTopic("t", partitions: 1, config: config)
        let appended = test.clock.now()
        let keyed = RecordBatch(records: ["a", "b", "c"].enumerated().map {
            Record(offset: Int64($0.offset), timestamp: 1000, key: bytes($0.element), value: bytes("1"))
        })
        try test.broker.append(keyed, topic: "t", partition: 0)
        try test.clock.advance(by: 60_000)
        try test.broker.publishEach("t", [("a", "2"), ("x", "1"), ("y", "1"), ("z", "1")])
        #expect(try test.broker.runCompaction(topic: "t")[TopicPartition("t", 0)]?.removedRecords == 1)
        let batches = try test.broker.fetch("t", partition: 0, from: 0, maxBytes: 1 << 20).batches()
        #expect(batches.count == 5 && batches.allSatisfy(\.isLogAppendTime))
        #expect(try test.broker.read("t", partition: 0, from: 0).map(\.timestamp) == [appended, appended] + Array(repeating: appended + 60_000, count: 4))
    }

    @Test("CreateTime keeps the producer's times and recomputes a batch's maxTimestamp that disagrees with its records", arguments: Backend.allCases)
    func createTimeRecomputesMax(backend: Backend) throws {
        let test = try TestBroker(backend)
        try test.broker.createTopic("t", partitions: 1)
        let lying = try produced.patched(.maxTimestamp, to: Int64(9_000_000))
        #expect(try test.broker.append(lying, topic: "t", partition: 0) == 0)
        try test.reopen(clean: true)
        let stored = try #require(try test.broker.fetch("t", partition: 0, from: 0, maxBytes: 1 << 20).batches().first)
        #expect(!stored.isLogAppendTime)
        #expect(stored.maxTimestamp == 1002)
        #expect(try test.broker.read("t", partition: 0, from: 0).map(\.timestamp) == [1000, 1001, 1002])
        #expect(try test.broker.offset("t", partition: 0, atOrAfter: 1003) == nil)
    }

    @Test("a time lookup on a LogAppendTime topic finds records by their append time, not the producer's", arguments: Backend.allCases)
    func lookupByAppendTime(backend: Backend) throws {
        let test = try TestBroker(backend)
        try logAppendTimeTopic(test)
        let first = test.clock.now()
        _ = try test.broker.append(produced, topic: "t", partition: 0)
        try test.clock.advance(by: 86_400_000)
        _ = try test.broker.append(produced, topic: "t", partition: 0)
        #expect(try test.broker.offset("t", partition: 0, atOrAfter: 1000) == 0)
        #expect(try test.broker.offset("t", partition: 0, atOrAfter: first + 1) == 3)
        #expect(try test.broker.read("t", partition: 0, from: 3, maxRecords: 1).first?.timestamp == first + 86_400_000)
        #expect(try test.broker.offset("t", partition: 0, atOrAfter: first + 86_400_001) == nil)
    }

    @Test("LogAppendTime lets time retention remove records whose producer dated them far past the logical clock", arguments: Backend.allCases)
    func retentionByAppendTime(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.messageTimestampType = .logAppendTime
        config.retentionMs = 86_400_000
        try test.broker.createTopic("t", partitions: 1, config: config)
        let future = RecordBatch(records: [Record(offset: 0, timestamp: 4_000_000_000_000, key: nil, value: bytes("from a real client"))])
        _ = try test.broker.append(future, topic: "t", partition: 0)
        try test.clock.advance(by: 2 * 86_400_000)
        #expect(try test.broker.runRetention(topic: "t")[TopicPartition("t", 0)]?.logStartOffset == 1)
    }

    @Test("a broker on the logical clock gives new topics LogAppendTime, stored so a system-clock session keeps it; the system clock keeps CreateTime")
    func logicalClockDefault() throws {
        let directory = temporaryDirectory()
        func session(_ clock: any BrokerClock, _ body: (Broker) throws -> Void) throws {
            let workspace = try Workspace(directory: directory)
            try withExtendedLifetime(workspace) {
                let broker = try Broker(storage: workspace.makeStorage(), clock: clock)
                try body(broker)
                try broker.close()
            }
        }
        try session(LogicalClock()) { broker throws in
            #expect(broker.topicDefaults.messageTimestampType == .logAppendTime)
            try broker.createTopic("t", partitions: 1, config: broker.topicDefaults)
        }
        #expect(try String(contentsOfFile: directory + "/brokers/1/topics/t/config", encoding: .utf8).contains("message.timestamp.type=LogAppendTime\n"))
        try session(SystemClock()) { broker throws in
            #expect(broker.topicDefaults.messageTimestampType == .createTime)
            #expect(try broker.describeTopic("t").config.messageTimestampType == .logAppendTime)
        }
    }

    @Test("message.timestamp.type takes Kafka's two spellings only; DELETE returns it to the broker's default")
    func configValues() throws {
        let (broker, _) = makeBroker()
        var config = TopicConfig()
        try config.set("message.timestamp.type", to: " LogAppendTime ")
        #expect(config.messageTimestampType == .logAppendTime)
        let error = brokerError { try config.set("message.timestamp.type", to: "createtime") }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message == "message.timestamp.type=createtime is not a timestamp type: give CreateTime or LogAppendTime")
        try broker.createTopic("t", partitions: 1, config: TopicConfig(configs: ["message.timestamp.type": "CreateTime"], over: broker.topicDefaults))
        #expect(try broker.describeTopic("t").config.messageTimestampType == .createTime)
        #expect(try broker.alterConfigs("t", [("message.timestamp.type", nil)]).messageTimestampType == .logAppendTime)
    }
}
