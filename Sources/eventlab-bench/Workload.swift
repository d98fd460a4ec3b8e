import EventLabCore
import Foundation

/// The records a benchmark appends: keyless, values of a fixed size, in batches.
struct Workload {
    var records: Int
    var valueSize: Int

    /// A value of `valueSize` bytes that differs per record.
    func value(_ index: Int) -> [UInt8] {
        var value = [UInt8](repeating: UInt8(ascii: "x"), count: valueSize)
        var number = index
        for position in 0..<min(8, valueSize) {
            value[position] = UInt8(ascii: "0") + UInt8(number % 10)
            number /= 10
        }
        return value
    }

    /// The workload's batches made one at a time, so a large workload need not fit in memory.
    func lazyBatches(of size: Int, timestamp: Int64) -> some Sequence<RecordBatch> {
        stride(from: 0, to: records, by: size).lazy.map { first in
            RecordBatch(records: (first..<min(first + size, records)).map { index in
                Record(offset: Int64(index - first), timestamp: timestamp, key: nil, value: value(index))
            })
        }
    }

    /// The workload as pre-encoded batches of `size` records, as a network producer sends them.
    func batches(of size: Int, timestamp: Int64) -> [RecordBatch] {
        stride(from: 0, to: records, by: size).map { first in
            RecordBatch(records: (first..<min(first + size, records)).map { index in
                Record(offset: Int64(index - first), timestamp: timestamp, key: nil, value: value(index))
            })
        }
    }
}

extension Broker {
    /// Reads every record of partition 0 of `topic` in polls of 500, as a consumer would.
    func readAll(_ topic: String, expecting count: Int) throws {
        var offset: Int64 = 0
        var read = 0
        while true {
            let chunk = try self.read(topic, partition: 0, from: offset, maxRecords: 500)
            guard let last = chunk.last else { break }
            read += chunk.count
            offset = last.offset + 1
        }
        guard read == count else { throw BenchError("read \(read) of \(count) records") }
    }

    /// Creates `topic` with one partition and appends `workload` in batches of 100.
    func fill(_ topic: String, with workload: Workload) throws {
        try createTopic(topic, partitions: 1)
        for batch in workload.lazyBatches(of: 100, timestamp: LogicalClock.start) {
            _ = try append(batch, topic: topic, partition: 0)
        }
    }
}

/// Runs `body` with a new directory under `scratch`, removed afterwards.
func withScratch<T>(in scratch: String, _ body: (String) throws -> T) throws -> T {
    let directory = scratch + "/eventlab-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}
