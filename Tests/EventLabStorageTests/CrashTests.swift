import EventLabCore
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// Opens the workspace in `directory` as a restarted EventLab would, runs `body`, and lets
/// go of the lock afterwards.
func withReopened<T>(_ directory: String, _ body: (Broker) throws -> T) throws -> T {
    let workspace = try Workspace(directory: directory)
    return try withExtendedLifetime(workspace) { try body(Broker(storage: workspace.makeStorage())) }
}

/// Every record of partition 0 of `t`, as (offset, value).
func contents(_ broker: Broker) throws -> [(Int64, String)] {
    let start = try broker.offsets("t", partition: 0).logStartOffset
    return try broker.read("t", partition: 0, from: start, maxRecords: .max).map { ($0.offset, String(decoding: $0.value ?? [], as: UTF8.self)) }
}

@Suite("Crashes", .serialized)
struct CrashTests {
    @Test("every batch acknowledged before a SIGKILL is there after reopening, and appending goes on (24 kills)")
    func killedWhileAppending() throws {
        let directory = temporaryDirectory()
        var random = SplitMix(seed: 42)
        var acknowledged: Int64 = 0
        for _ in 0..<24 {
            let child = try ChildProcess("eventlab-bench", ["probe", "append", directory])
            _ = child.waitForLine(prefix: "ack")
            usleep(UInt32(random.next() % 40_000))
            let acks = child.kill().filter { $0.hasPrefix("ack ") }.map { $0.split(separator: " ").map { Int64($0) ?? 0 } }
            if let last = acks.last { acknowledged = last[1] + last[2] }
            try withReopened(directory) { broker in
                let records = try contents(broker)
                #expect(Int64(records.count) >= acknowledged, "records acknowledged before the kill are missing")
                #expect(records.enumerated().allSatisfy { $0.offset == Int($0.element.0) && $0.element.1 == "record-\($0.element.0)" },
                        "the log has a gap, a duplicate or a damaged record")
            }
        }
        #expect(acknowledged > 24)
    }

    /// Builds a compacted topic of many small segments whose keys repeat, closes it cleanly,
    /// and returns its contents before and after `operation` runs to completion.
    func prepare(_ directory: String, operation: String) throws -> (before: [(Int64, String)], after: [(Int64, String)]) {
        var config = TopicConfig()
        config.cleanupPolicy = [.compact, .delete]
        config.segmentRecords = 20
        config.retentionRecords = 100
        config.deleteRetentionMs = 0
        try withReopened(directory) { broker in
            try broker.createTopic("t", partitions: 1, config: config)
            for batch in 0..<200 {
                _ = try broker.publish("t", (0..<20).map { ProducerRecord(key: "k\(($0 * 7 + batch) % 60)", value: "v\(batch)-\($0)", partition: 0) })
            }
            try broker.close()
        }
        let before = try withReopened(directory) { broker in
            defer { try? broker.close() }
            return try contents(broker)
        }
        let copy = temporaryDirectory()
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        let after = try withReopened(copy) { broker in
            _ = operation == "compact" ? try broker.runCompaction().count : try broker.runRetention().count
            return try contents(broker)
        }
        return (before, after)
    }

    /// Kills the probe `kills` times while it runs `operation`, and checks what each kill left.
    /// A kill counts only when it fell between the probe's `start` and `done` lines; one that
    /// came after `done` is retried with a shorter delay, and the test fails when too few land
    /// inside, since it would then be testing a finished operation.
    func killDuring(_ operation: String, kills: Int) throws {
        let original = temporaryDirectory()
        let (before, after) = try prepare(original, operation: operation)
        #expect(before.count > after.count)
        var random = SplitMix(seed: operation == "compact" ? 7 : 8)
        // One undisturbed run says how long the operation takes, so kills aim inside it.
        let timing = try copyOf(original)
        let full = try ChildProcess("eventlab-bench", ["probe", "clean", timing, operation]).finish()
        let duration = full.lines.first { $0.hasPrefix("done ") }.flatMap { Int($0.dropFirst(5)) } ?? 50
        var longestDelay = max(duration, 1) * 1000
        var inside = 0
        var attempts = 0
        while inside < kills, attempts < kills * 4 {
            attempts += 1
            let directory = try copyOf(original)
            let child = try ChildProcess("eventlab-bench", ["probe", "clean", directory, operation])
            _ = child.waitForLine(prefix: "start")
            usleep(UInt32(random.next() % UInt64(longestDelay + 1)))
            let lines = child.kill()
            if lines.contains(where: { $0.hasPrefix("done ") }) {
                longestDelay /= 2
            } else {
                inside += 1
            }
            let seen = try withReopened(directory) { try contents($0) }
            #expect(
                allowed(seen, before: before, after: after, operation: operation),
                "after a kill during \(operation) the partition holds \(seen.count) records: neither the \(before.count) before nor the \(after.count) after")
        }
        #expect(inside == kills, "only \(inside) of \(attempts) kills fell inside \(operation) (\(duration) ms undisturbed); the others came after it finished")
    }

    /// What a kill may leave: compaction swaps all segments at once, so the records of before or
    /// of after; retention deletes the oldest expired segments one by one, so also any state in
    /// between — the records of before without some of the oldest that were due to go.
    func allowed(_ seen: [(Int64, String)], before: [(Int64, String)], after: [(Int64, String)], operation: String) -> Bool {
        if seen.elementsEqual(before, by: ==) || seen.elementsEqual(after, by: ==) { return true }
        guard operation == "retain", seen.count > after.count, seen.count < before.count else { return false }
        return seen.elementsEqual(before.suffix(seen.count), by: ==) && seen.suffix(after.count).elementsEqual(after, by: ==)
    }

    func copyOf(_ directory: String) throws -> String {
        let copy = temporaryDirectory()
        try FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        return copy
    }

    @Test("a kill during compaction leaves the records of before or after, never a mix or a gap (8 kills)")
    func killedWhileCompacting() throws {
        try killDuring("compact", kills: 8)
    }

    @Test("a kill during retention leaves the records of before, of after, or of before without some oldest expired segments — never a gap (8 kills)")
    func killedWhileDeleting() throws {
        try killDuring("retain", kills: 8)
    }

    @Test("another process that opens a held workspace is told the holder's pid; a killed holder blocks nothing")
    func lockAcrossProcesses() throws {
        let directory = temporaryDirectory()
        let holder = try ChildProcess("eventlab-bench", ["probe", "hold", directory])
        #expect(holder.waitForLine(prefix: "holding") != nil)
        let error = brokerError { _ = try Workspace(directory: directory) }
        #expect(error?.message.contains("in use by process \(holder.pid)") == true)
        let second = try ChildProcess("eventlab-bench", ["probe", "hold", directory]).finish()
        #expect(second.status != 0)
        _ = holder.kill()
        #expect(throws: Never.self) { _ = try Workspace(directory: directory) }
    }

    @Test("a holder whose lock file was deleted still keeps every other process out, which is told its pid")
    func lockFileDeletedAcrossProcesses() throws {
        let directory = temporaryDirectory()
        let holder = try ChildProcess("eventlab-bench", ["probe", "hold", directory])
        #expect(holder.waitForLine(prefix: "holding") != nil)
        try FileManager.default.removeItem(atPath: directory + "/lock")
        let error = brokerError { _ = try Workspace(directory: directory) }
        #expect(error?.message.contains("in use by process \(holder.pid)") == true)
        let second = try ChildProcess("eventlab-bench", ["probe", "append", directory])
        let appended = second.waitForLine(prefix: "ack")
        _ = second.kill()
        #expect(appended == nil, "a second process appended to a held workspace")
        _ = holder.kill()
        #expect(throws: Never.self) { _ = try Workspace(directory: directory) }
    }
}
