import EventLabTestSupport
import Foundation
import Testing

/// A group whose committed offset retention has deleted the records at: Kafka's consumer
/// starts it by `auto.offset.reset`, and EventLab says so in one line.
@Suite("A group left before the log start")
struct CleanedAwayGroupTests {
    static let script = """
        topic create clicks --segment-records 3 --retention 5records
        publish clicks --repeat 8 x
        consume clicks --group g1 --max 7
        publish clicks --repeat 6 y
        retention run
        show clicks

        """

    /// `--memory`, or a fresh workspace on disk.
    static func arguments(_ backend: Backend) -> [String] {
        backend == .memory ? ["--memory"] : ["--data", temporaryDirectory("eventlab-workspace")]
    }

    @Test("show draws the group at its own offset before the log start; consume starts it by auto.offset.reset and says where", arguments: Backend.allCases)
    func behindLogStart(backend: Backend) throws {
        let result = try EventLabRun.run(Self.arguments(backend) + ["--clock", "logical"], input: Self.script + "consume clicks --group g1 --max 1\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("""
            p0 │8 y│9 y│10 y│11 y│12 y│13 y│ end 14 (log starts at 8)
               ◀g1 @7 lag 7
            """))
        #expect(result.stdout.contains("│ a record: offset and key (or event type) · (log starts at N): the offsets before N were deleted · ◀ a group's next offset @N, already deleted: its next consume starts by auto.offset.reset\n"))
        #expect(result.stdout.hasSuffix("""
            g1's offset 7 on clicks p0 is below the log start 8 (the records before it were deleted): auto.offset.reset=earliest starts at 8
            p0 @8  -  y  2024-01-01T00:00:00Z
            1 record · group g1 committed p0 @9

            """))
    }

    @Test("--reset latest skips to the log end, --reset none fails with Kafka's sentence and commits nothing", arguments: Backend.allCases)
    func otherRules(backend: Backend) throws {
        let latest = try EventLabRun.run(Self.arguments(backend) + ["--clock", "logical"], input: Self.script + "consume clicks --group g1 --reset latest\n")
        #expect(latest.status == 0)
        #expect(latest.stdout.hasSuffix("""
            g1's offset 7 on clicks p0 is below the log start 8 (the records before it were deleted): auto.offset.reset=latest starts at 14
            0 records · group g1 committed p0 @14

            """))
        let none = try EventLabRun.run(Self.arguments(backend) + ["--clock", "logical", "--keep-going"], input: Self.script + "consume clicks --group g1 --reset none\ngroup describe g1\n")
        #expect(none.status == 1)
        #expect(none.stdout.hasSuffix("g1     clicks  0          7               14              7    -            -     -\n"))
        #expect(none.stderr == "error at line 7: The requested offset is not within the range of offsets maintained by the server (offset 7; clicks p0 holds 8 to log end 14): auto.offset.reset=none chooses no start; give --reset earliest or latest, or move the group with `group reset`\n")
    }

    @Test("--from offset N below the log start says where it moved", arguments: Backend.allCases)
    func fromOffsetBelowStart(backend: Backend) throws {
        let result = try EventLabRun.run(Self.arguments(backend) + ["--clock", "logical"], input: Self.script + "consume clicks --from offset 2 --max 1\n")
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("""
            offset 2 on clicks p0 is below the log start 8 (the records before it were deleted): auto.offset.reset=earliest starts at 8
            p0 @8  -  y  2024-01-01T00:00:00Z
            1 record

            """))
    }
}
