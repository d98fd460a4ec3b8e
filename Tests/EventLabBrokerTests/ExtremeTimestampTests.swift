import EventLabTestSupport
import Testing
import EventLabCore

/// Records already stored with timestamps at the ends of `Int64` (a client's −2^63, written
/// before such timestamps were refused) must not stop the partition from working.
@Suite("Stored records with extreme timestamps")
struct ExtremeTimestampTests {
    @Test("a partition holding −2^63 and 2^63−1 rolls past them, keeps or expires them by retention, and reads them back", arguments: Backend.allCases)
    func rollRetainRead(backend: Backend) throws {
        let test = try TestBroker(backend)
        try test.broker.createTopic("t", partitions: 1, config: TopicConfig())
        try test.broker.storeDirectly("t", [("a", "min", .min)])
        _ = try test.broker.publish("t", [ProducerRecord(key: "b", value: "rolls")])
        #expect(try test.broker.describeTopic("t").partitions[0].segments.map(\.baseOffset) == [0, 1])
        try test.broker.storeDirectly("t", [("c", "max", .max), ("d", "min", .min)])
        try test.reopen(clean: false)
        try test.clock.advance(by: 8 * 86_400_000)
        _ = try test.broker.publish("t", [ProducerRecord(key: "e", value: "rolls again")])
        let partition = try test.broker.describeTopic("t").partitions[0]
        #expect(partition.segments.map(\.baseOffset) == [0, 1, 4])
        // The disk's segment summary writes −2^63 for "no timestamp", so the first segment's
        // reads back as nil after a restart: either way it is older than any retention.
        #expect(partition.segments.dropFirst().map(\.maxTimestamp) == [.max, test.clock.now()])
        try test.reopen(clean: true)

        let retained = try test.broker.runRetention(topic: "t")
        #expect(retained[TopicPartition("t", 0)]?.logStartOffset == 1)
        let records = try test.broker.read("t", partition: 0, from: 1, maxRecords: 10)
        #expect(records.map(\.offset) == [1, 2, 3, 4])
        #expect(records.map(\.timestamp) == [LogicalClock.start, .max, .min, test.clock.now()])
        #expect(try test.broker.offset("t", partition: 0, atOrAfter: .max) == 2)
        #expect(try test.broker.offset("t", partition: 0, atOrAfter: .min) == 1)
    }

    @Test("compaction rewrites a batch mixing −2^63 and 2^63−1 and keeps an old tombstone until its horizon without overflow", arguments: Backend.allCases)
    func compact(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentRecords = 3
        try test.broker.createTopic("c", partitions: 1, config: config)
        try test.broker.storeDirectly("c", [("k", "old", .max), ("k", "new", .min), ("gone", nil, .min)])
        _ = try test.broker.publish("c", [ProducerRecord(key: "x", value: "rolls")])
        try test.reopen(clean: true)
        // The tombstone at −2^63 is kept by the first cleaning, whose horizon counts from now.
        let first = try test.broker.runCompaction(topic: "c")
        #expect(first[TopicPartition("c", 0)]?.removedRecords == 1)
        #expect(first[TopicPartition("c", 0)]?.keptTombstones.map(\.horizonMs) == [test.clock.now() + TopicConfig().deleteRetentionMs])
        try test.clock.advance(by: TopicConfig().deleteRetentionMs)
        let second = try test.broker.runCompaction(topic: "c", force: true)
        #expect(second[TopicPartition("c", 0)]?.removedRecords == 1)
        let records = try test.broker.read("c", partition: 0, from: 0, maxRecords: 10)
        #expect(records.map(\.offset) == [1, 3])
        #expect(records.map(\.timestamp) == [.min, LogicalClock.start])
    }
}
