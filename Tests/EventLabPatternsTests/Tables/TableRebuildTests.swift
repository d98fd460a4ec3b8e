import EventLabCore
import EventLabPatterns
import EventLabTestSupport
import Testing

@Suite("A table is rebuilt from its topic through the broker's API")
struct TableRebuildTests {
    /// The same story on any topic: two customers change, one is deleted, one record has no key.
    let story: [(key: String?, value: String?)] = [
        ("a", "1"), ("b", "1"), ("a", "2"), ("c", "1"), ("b", nil), ("a", "3"), ("c", "2"), ("d", "1"),
    ]

    func topic(_ backend: Backend, compact: Bool, partitions: Int = 1) throws -> TestBroker {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.segmentRecords = 2
        if compact {
            config.cleanupPolicy = .compact
            config.deleteRetentionMs = 0
        }
        try test.broker.createTopic("t", partitions: partitions, config: config)
        return test
    }

    @Test("a rebuild reads the topic from its log start and reports what it read", arguments: Backend.allCases)
    func rebuild(backend: Backend) throws {
        let test = try topic(backend, compact: false)
        try test.broker.publishEach("t", story + [(nil, "loose")])
        let (table, report) = try Table.rebuild("v", from: "t", in: test.broker)
        #expect(table.strings == ["a=3", "c=2", "d=1"])
        #expect(table.positions == [0: 9])
        #expect(table.skipped == [.noKey: 1])
        var expected = TableReadReport()
        expected.recordsRead = 9
        expected.valuesStored = 7
        expected.tombstones = 1
        expected.skipped = [.noKey: 1]
        expected.keysKept = 3
        #expect(report == expected)
        #expect(report.deletedUnread == 0)
    }

    @Test("a rebuild from a compacted topic gives the same table from fewer records, and counts those compaction removed", arguments: Backend.allCases)
    func compactedVersusNot(backend: Backend) throws {
        let plain = try topic(backend, compact: false)
        let compacted = try topic(backend, compact: true)
        try plain.broker.publishEach("t", story)
        try compacted.broker.publishEach("t", story)
        let removed = try compacted.broker.runCompaction(topic: "t", force: true).values.reduce(0) { $0 + $1.removedRecords }
        #expect(removed > 0)
        let (fromPlain, plainReport) = try Table.rebuild("v", from: "t", in: plain.broker)
        let (fromCompacted, compactedReport) = try Table.rebuild("v", from: "t", in: compacted.broker)
        #expect(fromCompacted.entries == fromPlain.entries)
        #expect(fromCompacted.positions == fromPlain.positions)
        #expect(plainReport.recordsRead == story.count)
        #expect(plainReport.compactedAway == 0)
        #expect(!plainReport.topicIsCompacted)
        #expect(compactedReport.recordsRead == story.count - removed)
        #expect(compactedReport.compactedAway == Int64(removed))
        #expect(compactedReport.topicIsCompacted)
        #expect(compactedReport.keysKept == plainReport.keysKept)
    }

    @Test("a table catches up from its position: it reads only the new records, and stays put when none came", arguments: Backend.allCases)
    func catchUp(backend: Backend) throws {
        let test = try topic(backend, compact: false)
        try test.broker.publishEach("t", story)
        var (table, _) = try Table.rebuild("v", from: "t", in: test.broker)
        try test.reopen(clean: true)
        #expect(try table.catchUp(from: test.broker).recordsRead == 0)
        try test.broker.publishEach("t", [("b", "2"), ("a", nil)])
        let report = try table.catchUp(from: test.broker)
        #expect(report.recordsRead == 2)
        #expect(report.tombstones == 1)
        #expect(report.keysKept == 3)
        #expect(table.strings == ["b=2", "c=2", "d=1"])
        #expect(table.positions == [0: 10])
    }

    @Test("a table whose position retention has deleted goes on from the log start and counts the records it never saw", arguments: Backend.allCases)
    func retentionOvertakes(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.segmentRecords = 2
        config.retentionMs = 60_000
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", [("a", "1"), ("b", "1")])
        var (table, _) = try Table.rebuild("v", from: "t", in: test.broker)
        try test.broker.publishEach("t", [("a", "2"), ("b", "2"), ("c", "1"), ("d", "1")])
        try test.clock.advance(by: 120_000)
        try test.broker.publishEach("t", [("a", "3"), ("e", "1")])
        _ = try test.broker.runRetention(topic: "t")
        #expect(try test.broker.offsets("t", partition: 0).logStartOffset == 6)
        let report = try table.catchUp(from: test.broker)
        #expect(report.deletedUnread == 4)
        #expect(report.recordsRead == 2)
        #expect(report.compactedAway == 0)
        #expect(table.strings == ["a=3", "b=1", "e=1"])
        #expect(table.positions == [0: 8])
    }

    @Test("staleness from the broker: records and milliseconds behind until the table catches up", arguments: Backend.allCases)
    func staleness(backend: Backend) throws {
        let test = try topic(backend, compact: false, partitions: 2)
        _ = try test.broker.publish("t", [ProducerRecord(key: "a", value: "1", partition: 0), ProducerRecord(key: "b", value: "1", partition: 1)])
        var (table, _) = try Table.rebuild("v", from: "t", in: test.broker)
        #expect(try table.staleness(in: test.broker).recordsBehind == 0)
        try test.clock.advance(by: 5_000)
        _ = try test.broker.publish("t", [ProducerRecord(key: "a", value: "2", partition: 0), ProducerRecord(key: "c", value: "1", partition: 0)])
        let behind = try table.staleness(in: test.broker)
        #expect(behind.partitions.map(\.recordsBehind) == [2, 0])
        #expect(behind.partitions.map(\.position) == [1, 1])
        #expect(behind.partitions.map(\.logEndOffset) == [3, 1])
        #expect(behind.millisecondsBehind == 5_000)
        #expect(table.get("a")?.value == Array("1".utf8))
        try table.catchUp(from: test.broker)
        let caughtUp = try table.staleness(in: test.broker)
        #expect(caughtUp.recordsBehind == 0)
        #expect(caughtUp.millisecondsBehind == 0)
        #expect(table.get("a")?.value == Array("2".utf8))
    }

    @Test("each partition is read to its own end, and an entry says which partition its value came from", arguments: Backend.allCases)
    func partitions(backend: Backend) throws {
        let test = try topic(backend, compact: true, partitions: 3)
        let keys = (0..<30).map { "k\($0)" }
        _ = try test.broker.publish("t", keys.map { ProducerRecord(key: $0, value: "old") })
        let positions = try test.broker.publish("t", keys.map { ProducerRecord(key: $0, value: "new-" + $0) })
        let (table, report) = try Table.rebuild("v", from: "t", in: test.broker)
        #expect(report.recordsRead == 60)
        #expect(table.count == 30)
        for (key, position) in zip(keys, positions) {
            #expect(table.get(key)?.value == Array(("new-" + key).utf8))
            #expect(table.get(key)?.partition == position.partition)
            #expect(table.get(key)?.offset == position.offset)
        }
        let ends = try (0..<3).map { try test.broker.offsets("t", partition: Int32($0)).logEndOffset }
        #expect(table.positions == [0: ends[0], 1: ends[1], 2: ends[2]])
    }

    @Test("a table that has read past the end of a topic created again is told to rebuild, and a rebuild reads the new topic", arguments: Backend.allCases)
    func topicCreatedAgain(backend: Backend) throws {
        let test = try topic(backend, compact: false)
        try test.broker.publishEach("t", story)
        var (table, _) = try Table.rebuild("v", from: "t", in: test.broker)
        _ = try test.broker.deleteTopic("t")
        try test.broker.createTopic("t", partitions: 1)
        try test.broker.publishEach("t", [("z", "1")])
        let error = brokerError { try table.catchUp(from: test.broker) }
        #expect(error?.code == .offsetOutOfRange)
        #expect(error?.message.contains("up to offset 8, but the partition ends at 1") == true)
        #expect(error?.message.contains("rebuild the table") == true)
        #expect(try Table.rebuild("v", from: "t", in: test.broker).table.strings == ["z=1"])
    }

    @Test("a rebuild of a topic that does not exist fails with the broker's error and its code")
    func unknownTopic() throws {
        let (broker, _) = makeBroker()
        let error = brokerError { _ = try Table.rebuild("v", from: "missing", in: broker) }
        #expect(error?.code == .unknownTopicOrPartition)
    }
}
