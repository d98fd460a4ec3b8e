import EventLabCore

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
