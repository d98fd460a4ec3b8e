import EventLabCore
import EventLabStorage
import Foundation

/// Figures of the log on disk, each measured beside its reference where it has one.
struct DiskFigures {
    let workload: Workload
    let largeRecords: Int
    let runs: Int
    let scratch: String
    /// Appends with an fsync per batch are slow by nature: fewer records keep the run short.
    var fsyncRecords: Int { min(workload.records, 100_000) }

    var all: [(name: String, measure: () throws -> Figure)] {
        let records = Double(workload.records)
        return [
            ("disk_append_batch100_rps", {
                let batches = workload.batches(of: 100, timestamp: LogicalClock.start)
                let seconds = try medianSeconds(runs: runs) { try withScratch { try append(batches, to: $0, policy: .os) } }
                return Figure(name: "disk_append_batch100_rps", value: records / seconds, unit: "records/s")
            }),
            ("disk_append_vs_raw_ratio", {
                let batches = workload.batches(of: 100, timestamp: LogicalClock.start)
                let encoded = batches.map { $0.encoded() }
                var ratios: [Double] = []
                for _ in 0..<max(runs, 5) {
                    let eventlab = try medianSeconds(runs: 1) { try withScratch { try append(batches, to: $0, policy: .os) } }
                    let raw = try medianSeconds(runs: 1) { try withScratch { try writePlain(encoded, in: $0) } }
                    ratios.append(eventlab / raw)
                }
                return Figure(name: "disk_append_vs_raw_ratio", value: ratios.sorted()[ratios.count / 2], unit: "x")
            }),
            ("disk_append_fsync_batch100_rps", {
                let batches = Workload(records: fsyncRecords, valueSize: workload.valueSize).batches(of: 100, timestamp: LogicalClock.start)
                let seconds = try medianSeconds(runs: min(runs, 3)) { try withScratch { try append(batches, to: $0, policy: .batch) } }
                return Figure(name: "disk_append_fsync_batch100_rps", value: Double(fsyncRecords) / seconds, unit: "records/s")
            }),
            ("disk_read_rps", {
                try withScratch { directory in
                    try append(workload.batches(of: 100, timestamp: LogicalClock.start), to: directory, policy: .os)
                    let workspace = try Workspace(directory: directory)
                    let broker = try Broker(storage: workspace.makeStorage())
                    let seconds = try medianSeconds(runs: runs) { try broker.readAll("bench", expecting: workload.records) }
                    return Figure(name: "disk_read_rps", value: records / seconds, unit: "records/s")
                }
            }),
            ("open_clean_10m_ms", {
                try withScratch { directory in
                    let child = try Child.start(["probe", "fill", directory, "--records", String(largeRecords), "--close"])
                    guard try child.waitForLine(prefix: "closed") != nil else { throw BenchError("the fill child did not finish") }
                    child.waitForExit()
                    let seconds = try medianSeconds(runs: runs) {
                        let workspace = try Workspace(directory: directory)
                        try withExtendedLifetime(workspace) { try Broker(storage: workspace.makeStorage()).close() }
                    }
                    return Figure(name: "open_clean_\(label(largeRecords))_ms", value: seconds * 1000, unit: "ms")
                }
            }),
            ("open_crash_10m_ms", {
                try withScratch { directory in
                    let child = try Child.start(["probe", "fill", directory, "--records", String(largeRecords)])
                    guard try child.waitForLine(prefix: "filled") != nil else { throw BenchError("the fill child did not finish") }
                    child.kill()
                    // Dropping a workspace without closing it leaves it as a killed writer does,
                    // so every run after the first is a crash open too.
                    let seconds = try medianSeconds(runs: runs) {
                        let workspace = try Workspace(directory: directory)
                        withExtendedLifetime(workspace) { _ = try? Broker(storage: workspace.makeStorage()) }
                    }
                    return Figure(name: "open_crash_\(label(largeRecords))_ms", value: seconds * 1000, unit: "ms")
                }
            }),
            ("disk_peak_rss_mb", {
                try withScratch { directory in
                    let child = try Child.start(["probe", "peak", directory, "--records", String(largeRecords)])
                    guard let line = try child.waitForLine(prefix: "peak "), let megabytes = Double(line.dropFirst(5)) else {
                        throw BenchError("the peak child did not report")
                    }
                    return Figure(name: "disk_peak_rss_mb", value: megabytes, unit: "MB")
                }
            }),
        ]
    }

    private func label(_ count: Int) -> String {
        count % 1_000_000 == 0 ? "\(count / 1_000_000)m" : "\(count)"
    }

    private func withScratch<T>(_ body: (String) throws -> T) throws -> T {
        try eventlab_bench.withScratch(in: scratch, body)
    }

    private func append(_ batches: [RecordBatch], to directory: String, policy: FlushPolicy) throws {
        let workspace = try Workspace(directory: directory, policy: policy)
        let broker = try Broker(storage: workspace.makeStorage())
        try broker.createTopic("bench", partitions: 1)
        for batch in batches { _ = try broker.append(batch, topic: "bench", partition: 0) }
    }

    /// The reference: the same bytes written to one file with plain sequential writes.
    private func writePlain(_ batches: [[UInt8]], in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = open(directory + "/plain.log", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw BenchError("cannot create \(directory)/plain.log") }
        defer { close(descriptor) }
        for batch in batches {
            let written = batch.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == batch.count else { throw BenchError("a plain write failed") }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
