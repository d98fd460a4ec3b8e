import EventLabTestSupport
import Foundation
import Testing

/// Small things a new user's first session tripped on.
@Suite("What a first session meets")
struct WalkthroughTests {
    @Test("show log without a partition says it drew p0 and how to draw the others")
    func showLogWithoutPartition() throws {
        let result = try EventLabRun.run(["--memory", "-c", "topic create o --partitions 3; topic create two --partitions 2; topic create one; show log o; show log two; show log one; show log o 1"])
        #expect(result.status == 0)
        let notes = result.stdout.split(separator: "\n").filter { $0.hasPrefix("this is p0") }
        #expect(notes == ["this is p0 of 3 partitions: `show log o 1` to `show log o 2` show the others", "this is p0 of 2 partitions: `show log two 1` shows the other"])
        #expect(result.stdout.contains("o p1 · log-start 0"))
    }

    @Test("topic delete names the groups that lost their offsets on it", arguments: Backend.allCases)
    func topicDeleteNamesGroups(backend: Backend) throws {
        let result = try EventLabRun.run(CleanedAwayGroupTests.arguments(backend) + ["-c", "topic create o; publish o x; consume o --group g1; consume o --group g2; topic create p; publish p y; consume p --group g3; topic create q; topic delete o; topic delete p; topic delete q"])
        #expect(result.status == 0)
        let deleted = result.stdout.split(separator: "\n").filter { $0.hasPrefix("deleted topic") }
        #expect(deleted == ["deleted topic o · groups g1, g2 lost their offsets on it", "deleted topic p · group g3 lost its offsets on it", "deleted topic q"])
    }

    @Test("a 249-character topic name is cut in topic list so each row stays within the width")
    func longNameInTopicList() throws {
        let name = String(repeating: "a", count: 249)
        let result = try EventLabRun.run(["--memory", "-c", "topic create \(name); topic create b --partitions 2; topic list"], environment: ["COLUMNS": "80"])
        #expect(result.status == 0)
        let table = result.stdout.split(separator: "\n").drop { !$0.hasPrefix("TOPIC") }
        #expect(Array(table) == [
            "TOPIC                                    PARTITIONS  RECORDS  CLEANUP  RETENTION",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…  1           0        delete   7d",
            "b                                        2           0        delete   7d",
            "names ending in … are cut to fit: Tab completes them in full",
        ])
    }

    @Test("the files help source shows exist in the checkout and run")
    func helpSourceExamplesExist() throws {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let help = try EventLabRun.run(["--memory", "-c", "help source"])
        let files = help.stdout.split(separator: "\n").filter { $0.hasPrefix("  source ") }
            .map { String($0.dropFirst("  source ".count).prefix { $0 != ";" && $0 != " " }) }
        #expect(!files.isEmpty)
        for file in files {
            let path = checkout.appendingPathComponent(file).path
            let result = try EventLabRun.run(["--memory", "-c", "source \(path)"])
            #expect(result.status == 0, "\(file): \(result.stderr)")
        }
    }
}
