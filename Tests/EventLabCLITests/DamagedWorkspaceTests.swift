import EventLabTestSupport
import Foundation
import Testing

/// The binary on workspaces damaged by hand: it says what and where, loses nothing, and keeps
/// the undamaged topics usable.
@Suite("eventlab on a damaged workspace")
struct DamagedWorkspaceTests {
    /// A workspace with topic `t` of 37 one-record batches, 5 to a segment, and topic `u`.
    func workspace() throws -> String {
        let directory = temporaryDirectory("eventlab-damaged")
        let publishes = (0..<37).map { "publish t key=k\($0) {\"n\":\($0)}" }.joined(separator: "\n")
        let setup = try EventLabRun.run(
            ["--data", directory], input: "topic create t --segment-records 5\ntopic create u\npublish u kept\n" + publishes + "\n")
        #expect(setup.status == 0)
        return directory
    }

    func flip(_ path: String, at position: Int) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[position] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    @Test("consume --group stops at a damaged closed segment with an error and commits nothing past it")
    func consumeStopsAtDamage() throws {
        let directory = try workspace()
        let damaged = directory + "/brokers/1/topics/t/0/00000000000000000005.log"
        try flip(damaged, at: 70)
        let consume = try EventLabRun.run(["--data", directory, "-c", "consume t --group g --max 100"])
        #expect(consume.status == 1)
        #expect(consume.stderr.contains("\(damaged) is corrupt at byte 0"))
        #expect(!consume.stdout.contains("@5 "))
        #expect(!consume.stdout.contains("@36 "))
        let group = try EventLabRun.run(["--data", directory, "-c", "group describe g"])
        #expect(!group.stdout.contains("37"))
    }

    @Test("a damaged topic is offline and named at start; the other topics work")
    func damagedTopicIsOffline() throws {
        let directory = try workspace()
        let damaged = directory + "/brokers/1/topics/t/0/00000000000000000005.log"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
        try bytes.prefix(30).write(to: URL(fileURLWithPath: damaged))
        let run = try EventLabRun.run(["--data", directory, "-c", "topic list; consume u --from beginning"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: topic 't' could not be opened"))
        #expect(run.stderr.contains(damaged))
        #expect(run.stdout.contains("offline"))
        #expect(run.stdout.contains("kept"))
        let describe = try EventLabRun.run(["--data", directory, "-c", "topic describe t"])
        #expect(describe.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: damaged)).count == 30)
    }
}
