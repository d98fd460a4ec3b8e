import EventLabCore
import EventLabPatterns

/// Figures of the pattern engine's tables.
struct TableFigures {
    let runs: Int
    /// Records in the topic a table is rebuilt from.
    var records = 1_000_000
    /// Distinct keys among them, each updated in turn.
    var keys = 10_000

    var all: [(name: String, measure: () throws -> Figure)] {
        [
            ("table_rebuild_eps", {
                let broker = try filledBroker()
                let seconds = try medianSeconds(runs: runs) {
                    let (table, report) = try Table.rebuild("bench-view", from: "bench", in: broker)
                    guard report.recordsRead == records, table.count == keys else {
                        throw BenchError("the table read \(report.recordsRead) records into \(table.count) keys")
                    }
                }
                return Figure(name: "table_rebuild_eps", value: Double(records) / seconds, unit: "records/s")
            }),
        ]
    }

    /// An uncompacted topic of `records` keyed records of about 100 bytes, in batches of 100,
    /// so the rebuild reads every one of them.
    private func filledBroker() throws -> Broker {
        let broker = try Broker()
        try broker.createTopic("bench", partitions: 1)
        let workload = Workload(records: records, valueSize: 100)
        for first in stride(from: 0, to: records, by: 100) {
            let batch = RecordBatch(records: (first..<min(first + 100, records)).map { index in
                Record(
                    offset: Int64(index - first), timestamp: LogicalClock.start,
                    key: Array("customer-\(index % keys)".utf8), value: workload.value(index))
            })
            _ = try broker.append(batch, topic: "bench", partition: 0)
        }
        return broker
    }
}
