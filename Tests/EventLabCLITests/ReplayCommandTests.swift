import EventLabTestSupport
import Foundation
import Testing

/// `eventlab replay` and `eventlab verify` on the transcripts in Tests/Fixtures/transcripts, in a
/// pipe (the pseudo-terminal side is Tests/Interop/test_replay.py).
@Suite("eventlab replay in a pipe")
struct ReplayCommandTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/transcripts").path

    @Test("a transcript that restarts replays on disk: the note says so, and what the log kept is there after it")
    func restart() throws {
        let result = try EventLabRun.run(["replay", Self.directory + "/restart.txt"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.contains("""
            ── % restart: the workspace closes and opens again, as quitting and starting eventlab would
            eventlab> topic list
            TOPIC   PARTITIONS  RECORDS  CLEANUP  RETENTION
            orders  1           1        delete   7d
            ── end of the replay: all 3 commands printed what was recorded
            """))
    }

    @Test("the replay fixtures verify, the one that restarts included")
    func fixturesVerify() throws {
        let result = try EventLabRun.run(["verify", Self.directory])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("2 passed, 0 failed\n"))
    }

    @Test("a bad --speed is a bad argument")
    func badSpeed() throws {
        let result = try EventLabRun.run(["replay", Self.directory + "/lesson.txt", "--speed", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("The value '0' is invalid for '--speed <N|max>'"))
    }
}
