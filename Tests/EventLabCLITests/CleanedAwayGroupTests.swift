import EventLabTestSupport
import Foundation
import Testing

/// A group whose committed offset retention has deleted the records at.
@Suite("A group left before the log start")
struct CleanedAwayGroupTests {
    static let script = """
        topic create clicks --segment-records 3 --retention 5records
        publish clicks --repeat 8 x
        consume clicks --group g1 --max 7
        publish clicks --repeat 6 y
        retention run
        show clicks
        consume clicks --group g1

        """

    /// `--memory`, or a fresh workspace on disk.
    static func arguments(_ backend: Backend) -> [String] {
        backend == .memory ? ["--memory"] : ["--data", temporaryDirectory("eventlab-workspace")]
    }

    @Test("show draws the group at its own offset before the log start, and consume says how to move it", arguments: Backend.allCases)
    func behindLogStart(backend: Backend) throws {
        let result = try EventLabRun.run(Self.arguments(backend) + ["--clock", "logical"], input: Self.script)
        #expect(result.status == 1)
        #expect(result.stdout.contains("""
            p0 │8 y│9 y│10 y│11 y│12 y│13 y│ end 14 (log starts at 8)
               ◀g1 @7 lag 7
            """))
        #expect(result.stdout.contains("│ a record: offset and key (or event type) · (log starts at N): cleaning deleted the offsets before N · ◀ a group's next offset @N, deleted by cleaning: `group reset GROUP --to earliest --execute` moves it\n"))
        #expect(result.stderr == "error at line 7: group g1 stopped at offset 7 of clicks p0, but the log now starts at 8 (cleaning deleted the records between); move the group with `group reset g1 --topic clicks --to earliest --execute`, or read once with --from beginning\n")
        let after = try EventLabRun.run(Self.arguments(backend) + ["--clock", "logical"], input: Self.script.replacingOccurrences(
            of: "consume clicks --group g1\n", with: "group reset g1 --topic clicks --to earliest --execute\nconsume clicks --group g1\n"))
        #expect(after.status == 0)
        #expect(after.stdout.hasSuffix("6 records · group g1 committed p0 @14\n"))
    }
}
