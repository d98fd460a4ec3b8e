import EventLabCore
import EventLabTestSupport
import Testing

/// Batches no well-behaved client sends: each is refused with Kafka's error, and the log is as it was.
@Suite("Produced batches are checked against their records")
struct ProducedBatchTests {
    /// Three records at offsets 0, 1, 2, timestamps 1000, 1001, 1002.
    let good = RecordBatch(records: (0..<3).map {
        Record(offset: Int64($0), timestamp: 1000 + Int64($0), key: bytes("k\($0)"), value: bytes("v\($0)"))
    })

    func topic(_ backend: Backend) throws -> Broker {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        try broker.publishEach("t", [(nil, "before")])
        return broker
    }

    /// Appends `batch`, expects `code`, and checks nothing was appended and appending still works.
    func expectRefused(_ batch: RecordBatch, _ code: KafkaErrorCode, saying text: String, on backend: Backend) throws {
        let broker = try topic(backend)
        let error = brokerError { _ = try broker.append(batch, topic: "t", partition: 0) }
        #expect(error?.code == code)
        #expect(error?.message.contains(text) == true, "\(error?.message ?? "no error")")
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 1)
        #expect(try broker.append(good, topic: "t", partition: 0) == 1)
        #expect(try broker.values("t") == ["before", "v0", "v1", "v2"])
    }

    @Test("a record timestamp of -2^63 is INVALID_TIMESTAMP, and the partition takes further batches", arguments: Backend.allCases)
    func minimumTimestamp(backend: Backend) throws {
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: .min, key: nil, value: bytes("x"))])
        try expectRefused(batch, .invalidTimestamp, saying: "timestamp -9223372036854775808", on: backend)
    }

    @Test("a timestamp below -1 is refused; -1 (no timestamp) and 0 are kept", arguments: Backend.allCases)
    func timestampsAroundNone(backend: Backend) throws {
        try expectRefused(RecordBatch(records: [Record(offset: 0, timestamp: -2, key: nil, value: bytes("x"))]),
                          .invalidTimestamp, saying: "or -1 for none", on: backend)
        let broker = try topic(backend)
        for timestamp: Int64 in [-1, 0] {
            _ = try broker.append(RecordBatch(records: [Record(offset: 0, timestamp: timestamp, key: nil, value: bytes("x"))]), topic: "t", partition: 0)
        }
        #expect(try broker.read("t", partition: 0, from: 1).map(\.timestamp) == [-1, 0])
    }

    @Test("a timestamp delta that overflows its base is INVALID_TIMESTAMP", arguments: Backend.allCases)
    func overflowingTimestamp(backend: Backend) throws {
        let batch = try good.patched(.baseTimestamp, to: Int64.max).patched(.maxTimestamp, to: Int64.max)
        try expectRefused(batch, .invalidTimestamp, saying: "9223372036854775807 + 1", on: backend)
    }

    @Test("publish refuses a record timestamp below -1 too, before anything is appended", arguments: Backend.allCases)
    func publishedTimestamp(backend: Backend) throws {
        let broker = try topic(backend)
        let records = [ProducerRecord(key: nil, value: "ok"), ProducerRecord(value: bytes("old"), timestamp: -5)]
        #expect(brokerError { _ = try broker.publish("t", records) }?.code == .invalidTimestamp)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 1)
    }

    @Test("recordCount 3 with lastOffsetDelta 0 is INVALID_RECORD: it would reuse offsets", arguments: Backend.allCases)
    func shortLastOffsetDelta(backend: Backend) throws {
        try expectRefused(try good.patched(.lastOffsetDelta, to: Int32(0)), .invalidRecord,
                          saying: "lastOffsetDelta is 0 but its recordCount is 3", on: backend)
    }

    @Test("lastOffsetDelta 2^31-1 is INVALID_RECORD: it would jump the log end", arguments: Backend.allCases)
    func hugeLastOffsetDelta(backend: Backend) throws {
        try expectRefused(try good.patched(.lastOffsetDelta, to: Int32.max), .invalidRecord,
                          saying: "lastOffsetDelta is 2147483647", on: backend)
    }

    @Test("a recordCount that is not the number of records is INVALID_RECORD", arguments: Backend.allCases)
    func countDisagrees(backend: Backend) throws {
        let batch = try good.patched(.recordCount, to: Int32(2)).patched(.lastOffsetDelta, to: Int32(1))
        try expectRefused(batch, .invalidRecord, saying: "recordCount says 2 but it holds 3 records", on: backend)
    }

    @Test("an inner offset delta of 2^40 is INVALID_RECORD: deltas run 0, 1, 2 in order", arguments: Backend.allCases)
    func hugeOffsetDelta(backend: Backend) throws {
        let batch = RecordBatch(records: [0, 1 << 40, 2].map { Record(offset: $0, timestamp: 1000, key: nil, value: bytes("x")) })
        try expectRefused(batch, .invalidRecord, saying: "record 1 of the batch has offset delta 1099511627776", on: backend)
    }

    @Test("control batches, LogAppendTime and a producer id without a sequence are refused as Kafka refuses them", arguments: Backend.allCases)
    func attributes(backend: Backend) throws {
        try expectRefused(try good.patched(.attributes, to: Int16(0x20)), .invalidRecord, saying: "control batch", on: backend)
        try expectRefused(try good.patched(.attributes, to: Int16(0x08)), .invalidTimestamp, saying: "LogAppendTime", on: backend)
        try expectRefused(try good.patched(.producerId, to: Int64(7)), .invalidRecord, saying: "sequence -1", on: backend)
    }
}
