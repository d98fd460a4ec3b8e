import ArgumentParser
import EventLabCore
import EventLabStorage
import Foundation

/// Child processes that the crash tests and the benchmark kill or measure: each works on a
/// workspace and reports on standard output, one line per step, unbuffered.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Child processes for crash tests and benchmarks.",
        shouldDisplay: false,
        subcommands: [Append.self, DeleteRecords.self, Clean.self, Hold.self, Fill.self, Peak.self])

    /// Writes a line and flushes it at once, so a parent that kills us has every line.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func open(_ directory: String, policy: FlushPolicy = .os) throws -> (Workspace, Broker) {
        let workspace = try Workspace(directory: directory, policy: policy)
        return (workspace, try Broker(storage: workspace.makeStorage()))
    }

    /// Appends batches forever with a sync after each, saying `ack FIRST COUNT` when one is
    /// acknowledged; record values are `record-OFFSET`, and timestamps take turns at their
    /// extremes (none, 0, the largest) and a real time, so a kill finds them everywhere.
    struct Append: ParsableCommand {
        @Argument var directory: String
        @Option var segmentRecords = 50

        static let timestamps: [Int64] = [-1, 0, .max, 1_700_000_000_000]

        func run() throws {
            let (_, broker) = try Probe.open(directory, policy: .batch)
            if (try? broker.describeTopic("t")) == nil {
                var config = TopicConfig()
                config.segmentRecords = segmentRecords
                try broker.createTopic("t", partitions: 1, config: config)
            }
            var next = try broker.offsets("t", partition: 0).logEndOffset
            var size = 1
            while true {
                let timestamp = Self.timestamps[Int(next % Int64(Self.timestamps.count))]
                let records = (0..<size).map { Record(offset: Int64($0), timestamp: timestamp, key: nil, value: Array("record-\(next + Int64($0))".utf8)) }
                let base = try broker.append(RecordBatch(records: records), topic: "t", partition: 0)
                Probe.say("ack \(base) \(size)")
                next = base + Int64(size)
                size = size % 17 + 1
            }
        }
    }

    /// Appends batches forever (flush policy os) and after each deletes the records before an
    /// offset a few records short of the log end, saying `deleted LOGSTART` once each deletion
    /// returned; record values are `record-OFFSET`, segments hold 10 records.
    struct DeleteRecords: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete-records")
        @Argument var directory: String

        func run() throws {
            let (_, broker) = try Probe.open(directory)
            if (try? broker.describeTopic("t")) == nil {
                var config = TopicConfig()
                config.segmentRecords = 10
                try broker.createTopic("t", partitions: 1, config: config)
            }
            var next = try broker.offsets("t", partition: 0).logEndOffset
            while true {
                let records = (0..<7).map { Record(offset: Int64($0), timestamp: 0, key: nil, value: Array("record-\(next + Int64($0))".utf8)) }
                next = try broker.append(RecordBatch(records: records), topic: "t", partition: 0) + 7
                Probe.say("deleted \(try broker.deleteRecords("t", partition: 0, before: next - Int64(next % 5)))")
            }
        }
    }

    /// Runs compaction or retention on every topic once, saying `start` just before it and
    /// `done MS` just after it (before closing), so a parent that kills us knows whether the
    /// kill fell inside the operation.
    struct Clean: ParsableCommand {
        @Argument var directory: String
        @Argument(help: "compact or retain") var operation: String

        func run() throws {
            let (_, broker) = try Probe.open(directory)
            let clock = ContinuousClock()
            Probe.say("start")
            let elapsed = try clock.measure {
                if operation == "compact" { _ = try broker.runCompaction() } else { _ = try broker.runRetention() }
            }
            Probe.say("done \(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)")
            try broker.close()
        }
    }

    /// Holds the workspace's lock until killed.
    struct Hold: ParsableCommand {
        @Argument var directory: String

        func run() throws {
            let (workspace, _) = try Probe.open(directory)
            Probe.say("holding")
            withExtendedLifetime(workspace) { while true { sleep(60) } }
        }
    }

    /// Appends `records` records in batches of 100 (flush policy os), then says `filled` and
    /// waits to be killed, or with --close closes cleanly and exits.
    struct Fill: ParsableCommand {
        @Argument var directory: String
        @Option var records: Int
        @Flag var close = false

        func run() throws {
            let (workspace, broker) = try Probe.open(directory)
            try broker.fill("bench", with: Workload(records: records, valueSize: 100))
            if close {
                try broker.close()
                Probe.say("closed")
                return
            }
            Probe.say("filled")
            withExtendedLifetime(workspace) { while true { sleep(60) } }
        }
    }

    /// Appends `records` records in batches of 100, reads them all back, and says `peak MB`,
    /// the process's peak resident memory (VmHWM).
    struct Peak: ParsableCommand {
        @Argument var directory: String
        @Option var records: Int

        func run() throws {
            let (workspace, broker) = try Probe.open(directory)
            try broker.fill("bench", with: Workload(records: records, valueSize: 100))
            try broker.readAll("bench", expecting: records)
            try broker.close()
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
            Probe.say("peak \(kilobytes / 1024)")
        }
    }
}
