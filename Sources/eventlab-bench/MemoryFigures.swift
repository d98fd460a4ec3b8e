import EventLabCore

/// Figures of the in-memory broker and the RecordBatch codec.
struct MemoryFigures {
    let workload: Workload
    let runs: Int

    /// Each figure's name and how to measure it.
    var all: [(name: String, measure: () throws -> Figure)] {
        let records = Double(workload.records)
        let batches100 = { workload.batches(of: 100, timestamp: LogicalClock.start) }
        let megabytes = { (batches: [RecordBatch]) in Double(batches.reduce(0) { $0 + $1.byteCount }) / 1e6 }
        return [
            ("memory_append_batch1_rps", {
                let batches = workload.batches(of: 1, timestamp: LogicalClock.start)
                return Figure(name: "memory_append_batch1_rps", value: records / (try medianSeconds(runs: runs) { try append(batches) }), unit: "records/s")
            }),
            ("memory_append_batch100_rps", {
                let batches = batches100()
                return Figure(name: "memory_append_batch100_rps", value: records / (try medianSeconds(runs: runs) { try append(batches) }), unit: "records/s")
            }),
            ("memory_publish_batch100_rps", {
                Figure(name: "memory_publish_batch100_rps", value: records / (try medianSeconds(runs: runs) { try publish(batchSize: 100) }), unit: "records/s")
            }),
            ("memory_read_rps", {
                let broker = try filledBroker(batches100())
                return Figure(name: "memory_read_rps", value: records / (try medianSeconds(runs: runs) { try broker.readAll("bench", expecting: workload.records) }), unit: "records/s")
            }),
            ("batch_encode_mbps", {
                let batches = batches100()
                let decoded = try batches.map { try $0.records() }
                let seconds = medianSeconds(runs: runs) { for records in decoded { _ = RecordBatch(records: records) } }
                return Figure(name: "batch_encode_mbps", value: megabytes(batches) / seconds, unit: "MB/s")
            }),
            ("batch_decode_crc_mbps", {
                let batches = batches100()
                let raw = batches.map { $0.encoded() }
                let seconds = try medianSeconds(runs: runs) { for bytes in raw { _ = try RecordBatch(validating: bytes).records() } }
                return Figure(name: "batch_decode_crc_mbps", value: megabytes(batches) / seconds, unit: "MB/s")
            }),
            ("crc32c_mbps", {
                let raw = batches100().map { $0.encoded() }
                var sink: UInt32 = 0
                let seconds = medianSeconds(runs: runs) { for bytes in raw { sink ^= CRC32C.checksum(bytes) } }
                precondition(sink != 1, "keeps the checksums from being optimised away")
                return Figure(name: "crc32c_mbps", value: Double(raw.reduce(0) { $0 + $1.count }) / 1e6 / seconds, unit: "MB/s")
            }),
        ]
    }

    private func append(_ batches: [RecordBatch]) throws {
        _ = try filledBroker(batches)
    }

    private func filledBroker(_ batches: [RecordBatch]) throws -> Broker {
        let broker = try Broker()
        try broker.createTopic("bench", partitions: 1)
        for batch in batches { _ = try broker.append(batch, topic: "bench", partition: 0) }
        return broker
    }

    private func publish(batchSize: Int) throws {
        let broker = try Broker()
        try broker.createTopic("bench", partitions: 1)
        for first in stride(from: 0, to: workload.records, by: batchSize) {
            let records = (first..<min(first + batchSize, workload.records)).map { ProducerRecord(key: nil, value: workload.value($0)) }
            _ = try broker.publish("bench", records)
        }
    }
}
