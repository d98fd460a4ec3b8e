import EventLabCore
import EventLabPatterns
import Testing

@Suite("A table says how far behind its topic it is")
struct TableStalenessTests {
    @Test("per partition: the records between the position and the log end, and the time of the last record read against the topic's")
    func numbers() {
        var table = Table(name: "v", topic: "t")
        table.apply(record(0, "a", "1", at: 1_000), partition: 0)
        table.apply(record(1, "b", "1", at: 2_000), partition: 0)
        table.apply(record(0, "c", "1", at: 1_500), partition: 1)
        let staleness = table.staleness([
            PartitionEnd(partition: 1, logStartOffset: 0, logEndOffset: 1, lastTimestamp: 1_500),
            PartitionEnd(partition: 0, logStartOffset: 0, logEndOffset: 5, lastTimestamp: 9_000),
            PartitionEnd(partition: 2, logStartOffset: 4, logEndOffset: 6, lastTimestamp: 8_000),
        ])
        #expect(staleness.partitions.map(\.partition) == [0, 1, 2])
        #expect(staleness.partitions.map(\.position) == [2, 1, 4])
        #expect(staleness.partitions.map(\.recordsBehind) == [3, 0, 2])
        #expect(staleness.partitions.map(\.lastRead) == [2_000, 1_500, nil])
        #expect(staleness.recordsBehind == 5)
        #expect(staleness.lastRead == 2_000)
        #expect(staleness.lastInTopic == 9_000)
        #expect(staleness.millisecondsBehind == 7_000)
    }

    @Test("a table that has read everything is 0 behind, in records and in time")
    func upToDate() {
        var table = Table(name: "v", topic: "t")
        table.apply(record(0, "a", "1", at: 1_000), partition: 0)
        let staleness = table.staleness([PartitionEnd(partition: 0, logStartOffset: 0, logEndOffset: 1, lastTimestamp: 1_000)])
        #expect(staleness.recordsBehind == 0)
        #expect(staleness.millisecondsBehind == 0)
    }

    @Test("a table behind that has read nothing has no time to compare; one whose position retention deleted counts only readable records")
    func nothingRead() {
        var table = Table(name: "v", topic: "t")
        #expect(table.staleness([PartitionEnd(partition: 0, logStartOffset: 0, logEndOffset: 3, lastTimestamp: 5)]).millisecondsBehind == nil)
        table.apply(record(0, "a", "1"), partition: 0)
        let staleness = table.staleness([PartitionEnd(partition: 0, logStartOffset: 10, logEndOffset: 12, lastTimestamp: 5)])
        #expect(staleness.partitions[0].position == 10)
        #expect(staleness.recordsBehind == 2)
    }
}
