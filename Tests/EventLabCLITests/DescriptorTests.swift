import EventLabTestSupport
import Foundation
import Testing

/// EventLab under a small limit of open files: descriptors are held for a bounded set of
/// segments, so many partitions or many segments never run it out.
@Suite("eventlab under a descriptor limit")
struct DescriptorTests {
    func runLimited(_ limit: Int, _ directory: String, _ commands: String) throws -> EventLabRun {
        try EventLabRun.run(["--data", directory], input: commands, fileLimit: limit)
    }

    @Test("a topic of 1,000 partitions is created, filled and reopened under a limit of 256 descriptors")
    func thousandPartitions() throws {
        let directory = temporaryDirectory("eventlab-fds")
        let created = try runLimited(256, directory, "topic create big --partitions 1000\npublish big --repeat 3000 key=k{n} v{n}\n")
        #expect(created.status == 0, "\(created.stderr)")
        let reopened = try runLimited(256, directory, "topic describe big\n")
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(reopened.stdout.contains("999"))
    }

    @Test("under a limit of 32 descriptors, fewer than the cache would hold, 1,000 partitions are created, filled and reopened")
    func limitBelowCache() throws {
        let directory = temporaryDirectory("eventlab-fds")
        let created = try runLimited(32, directory, "topic create big --partitions 1000\npublish big --repeat 3000 key=k{n} v{n}\n")
        #expect(created.status == 0, "\(created.stderr)")
        let reopened = try runLimited(32, directory, "topic list\nconsume big --partition 999 --max 3\n")
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(reopened.stderr.isEmpty, "\(reopened.stderr)")
        #expect(reopened.stdout.contains("3 records"))
    }

    @Test("reading 1,500 segments needs fewer than 100 descriptors")
    func manySegments() throws {
        let directory = temporaryDirectory("eventlab-fds")
        let publishes = (0..<1500).map { "publish t v\($0)" }.joined(separator: "\n")
        let filled = try runLimited(100, directory, "topic create t --segment-records 1\n" + publishes + "\n")
        #expect(filled.status == 0, "\(filled.stderr)")
        let read = try runLimited(100, directory, "consume t --from beginning --max 1500\n")
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains("@1499"))
    }
}
