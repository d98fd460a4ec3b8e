import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("Tombstones and their delete horizon (KIP-534)")
struct TombstoneHorizonTests {
    @Test("the first cleaning keeps an old tombstone and sets its horizon; a cleaning at the horizon removes it", arguments: Backend.allCases)
    func keptUntilHorizon(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentRecords = 2
        config.deleteRetentionMs = 60_000
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", [("a", "a1"), ("a", nil), ("b", "b1")])
        // Far older than delete.retention.ms before any cleaning saw it.
        try test.clock.advance(by: 10 * 60_000)
        let firstPass = test.clock.now()
        let first = try test.broker.runCompaction(topic: "t")[TopicPartition("t", 0)]
        #expect(first?.removedRecords == 1)
        #expect(first?.keptTombstones == [KeptTombstone(offset: 1, horizonMs: firstPass + 60_000)])

        // A consumer that is behind still reads the delete, after a restart too.
        try test.reopen(clean: true)
        let records = try test.broker.read("t", partition: 0, from: 0, maxRecords: 10)
        #expect(records.map(\.offset) == [1, 2])
        #expect(records[0].isTombstone)
        #expect(records[0].timestamp == LogicalClock.start)
        let batch = try test.broker.fetch("t", partition: 0, from: 0, maxBytes: 1).batches()[0]
        #expect(batch.deleteHorizonMs == firstPass + 60_000)
        #expect(batch.attributes & 0x40 != 0)
        #expect(throws: Never.self) { _ = try RecordBatch(validating: batch.encoded()) }

        // Nothing was written since: only a pass that ignores the dirty ratio looks again.
        try test.clock.advance(by: 59_999)
        let before = try test.broker.runCompaction(topic: "t", force: true)[TopicPartition("t", 0)]
        #expect(before?.removedRecords == 0)
        #expect(before?.keptTombstones == [KeptTombstone(offset: 1, horizonMs: firstPass + 60_000)])
        #expect(try test.broker.values("t") == [nil, "b1"])

        try test.clock.advance(by: 1)
        let after = try test.broker.runCompaction(topic: "t", force: true)[TopicPartition("t", 0)]
        #expect(after?.removedRecords == 1)
        #expect(after?.keptTombstones == [])
        #expect(try test.broker.values("t") == ["b1"])
    }
}
