import EventLabCore
import EventLabShell
import EventLabTestSupport
import Foundation
import Testing

/// A shell on a fresh workspace with `settings`, as `verify` opens one, and what it printed.
private func recordingShell(_ settings: TranscriptSettings = TranscriptSettings()) throws -> (Shell, CapturedOutput) {
    let workspace = try MemoryTranscriptWorkspace(settings: settings)
    let output = CapturedOutput()
    return (Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: output, width: settings.width), output)
}

/// The text of `path`.
private func contents(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

/// The commands of the transcript at `path` whose output differs when verified.
private func mismatches(_ path: String) throws -> [TranscriptVerifier.Mismatch] {
    try TranscriptVerifier(opener: MemoryTranscriptWorkspace.opener).mismatches(in: TranscriptParser.parse(contents(path)))
}

@Suite("record start and record stop")
struct RecordTests {
    @Test("a recorded session parses and verifies: an error, a command over two lines, and output lines that need escapes")
    func recordedSessionVerifies() throws {
        let (shell, output) = try recordingShell()
        let path = temporaryDirectory() + "/session.txt"
        #expect(shell.execute("record start \(path)"))
        #expect(output.text == "recording to \(path): each command from now on and its output; `record stop` ends it\n")
        #expect(shell.execute("topic create orders --partitions 2"))
        #expect(shell.execute("publish orders key=o-1 {\"type\":\"OrderPlaced\",\n\"total\":42}"))
        #expect(!shell.execute("publish nowhere x"))
        #expect(shell.execute("publish orders key=k \"#hash\"; publish orders key=k ..."))
        #expect(shell.execute("consume orders --group \"#ops\""))
        #expect(shell.execute("group list"))
        #expect(shell.execute("record stop"))
        #expect(output.lines.last == "recorded 6 commands to \(path): `eventlab verify \(path)` checks they still print the same")

        let text = try contents(path)
        #expect(text.hasPrefix("% clock logical 2024-01-01T00:00:00Z\n% width 80\n% recorded "), "\(text)")
        #expect(text.contains("""
            eventlab> publish orders key=o-1 {"type":"OrderPlaced",
                 ...> "total":42}
            orders p0 @0  (key o-1 → murmur2 mod 2)
            eventlab> publish nowhere x
            error: topic 'nowhere' does not exist
            """), "\(text)")
        #expect(text.contains("\n\\#ops has no committed offset"), "\(text)")
        #expect(text.contains("\n\\#ops   Empty"), "\(text)")
        #expect(!text.contains("eventlab> record"), "\(text)")
        let transcript = try TranscriptParser.parse(text)
        #expect(transcript.commands.count == 6)
        #expect(transcript.commands[1].text == "publish orders key=o-1 {\"type\":\"OrderPlaced\",\n\"total\":42}")
        #expect(try mismatches(path).isEmpty)
    }

    @Test("each command is in the file as soon as it has run, before the recording stops")
    func writesAsItGoes() throws {
        let (shell, _) = try recordingShell()
        let path = temporaryDirectory() + "/session.txt"
        shell.execute("record start \(path)")
        shell.execute("topic create orders")
        #expect(try contents(path).hasSuffix("eventlab> topic create orders\ncreated topic orders with 1 partition · cleanup delete · retention 7d\n"))
        shell.execute("topic list")
        #expect(try contents(path).contains("eventlab> topic list\n"))
        #expect(try mismatches(path).isEmpty)
    }

    @Test("an existing file is kept unless --force is given; a refused start changes nothing")
    func refusesToOverwrite() throws {
        let (shell, output) = try recordingShell()
        let path = temporaryDirectory() + "/kept.txt"
        try "my notes\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(!shell.execute("record start \(path)"))
        #expect(output.errors == ["error: \(path) already exists: give another name, or add --force to replace it"])
        #expect(try contents(path) == "my notes\n")
        #expect(shell.recordingPath == nil)
        shell.execute("topic create orders")
        #expect(try contents(path) == "my notes\n")

        #expect(shell.execute("record start \(path) --force"))
        #expect(shell.recordingPath == path)
        #expect(try contents(path).hasPrefix("% clock logical 2024-01-01T00:00:00Z\n"))
    }

    @Test("a directory, or a file in a directory that does not exist, is refused and nothing starts")
    func refusesUnwritablePaths() throws {
        let (shell, output) = try recordingShell()
        let directory = temporaryDirectory()
        #expect(!shell.execute("record start \(directory)"))
        #expect(output.errors.last == "error: \(directory) is a directory: give a file name for the transcript, such as \(directory)/session.txt")
        #expect(!shell.execute("record start \(directory)/missing/session.txt"))
        #expect(output.errors.last?.hasPrefix("error: cannot write \(directory)/missing/session.txt: No such file or directory") == true)
        #expect(shell.recordingPath == nil)
        #expect(!FileManager.default.fileExists(atPath: directory + "/missing"))
    }

    @Test("a file that takes no writes is refused when the header cannot be written, and nothing starts")
    func refusesFullDevice() throws {
        let (shell, output) = try recordingShell()
        #expect(!shell.execute("record start /dev/full --force"))
        #expect(output.errors.last?.hasPrefix("error: cannot write /dev/full: ") == true, "\(output.errors)")
        #expect(output.errors.last?.hasSuffix("give a file that can be written, such as one in your home directory") == true, "\(output.errors)")
        #expect(shell.recordingPath == nil)
    }

    @Test("record start while recording names the file being recorded; record stop when not recording says how to start")
    func startAndStopErrors() throws {
        let (shell, output) = try recordingShell()
        #expect(!shell.execute("record stop"))
        #expect(output.errors == ["error: not recording: `record start FILE` starts a recording"])
        let directory = temporaryDirectory()
        shell.execute("record start \(directory)/first.txt")
        #expect(!shell.execute("record start \(directory)/second.txt"))
        #expect(output.errors.last == "error: already recording to \(directory)/first.txt: `record stop` first, then start another")
        #expect(!FileManager.default.fileExists(atPath: directory + "/second.txt"))
        #expect(shell.recordingPath == "\(directory)/first.txt")
        #expect(shell.execute("record stop"))
        #expect(shell.recordingPath == nil)
        #expect(try !contents("\(directory)/first.txt").contains("eventlab> record"))
    }

    @Test("recording a workspace that is not empty says it will not replay the same and how to record one that will")
    func notEmptyWarning() throws {
        let (shell, output) = try recordingShell()
        let directory = temporaryDirectory()
        shell.execute("record start \(directory)/empty.txt; record stop")
        #expect(!output.text.contains("note:"))
        shell.execute("topic create orders; publish orders x; consume orders --group billing")
        output.clear()
        #expect(shell.execute("record start \(directory)/late.txt"))
        #expect(output.lines.last == "note: the workspace already holds topics (orders) and group offsets (billing), and verify and replay start from an empty one, so this recording may not replay the same: record from the start of a fresh session, such as `eventlab --memory --clock logical --record \(directory)/late.txt`")
    }

    @Test("recording after the logical clock moved says its timed work would fall due elsewhere in a replay")
    func movedClockWarning() throws {
        let (shell, output) = try recordingShell()
        #expect(shell.execute("clock advance 7m"))
        output.clear()
        #expect(shell.execute("record start \(temporaryDirectory())/moved.txt"))
        #expect(output.lines.last?.hasPrefix("note: the logical clock has moved since the session began") == true)
    }

    @Test("a line holding record or exit among other commands records the others, each as its own command")
    func recordCommandsAmongOthers() throws {
        let (shell, _) = try recordingShell()
        let path = temporaryDirectory() + "/session.txt"
        shell.execute("topic create before; record start \(path); topic create during")
        shell.execute("topic create last; exit")
        let text = try contents(path)
        #expect(!text.contains("before"))
        #expect(text.contains("eventlab> topic create during\ncreated topic during"))
        #expect(text.contains("eventlab> topic create last\ncreated topic last"))
        #expect(!text.contains("exit"))
        #expect(try TranscriptParser.parse(text).commands.map(\.text) == ["topic create during", "topic create last"])
    }

    @Test("a script's errors are recorded without their line, and a line run with --keep-going command by command, as verify runs them")
    func scriptLines() throws {
        let (shell, _) = try recordingShell()
        let path = temporaryDirectory() + "/session.txt"
        shell.execute("record start \(path)")
        #expect(!shell.execute("topic create a; nope; topic create b", where: "at line 3", keepGoing: true))
        #expect(!shell.execute("publish nowhere x", where: "in lesson.txt line 4"))
        let text = try contents(path)
        #expect(text.contains("eventlab> nope\nerror: unknown command 'nope'"), "\(text)")
        #expect(text.contains("eventlab> publish nowhere x\nerror: topic 'nowhere' does not exist"), "\(text)")
        #expect(try TranscriptParser.parse(text).commands.map(\.text) == ["topic create a", "nope", "topic create b", "publish nowhere x"])
        #expect(try mismatches(path).isEmpty)
    }

    @Test("a sourced script is recorded as the one command that ran it")
    func sourcedScript() throws {
        let (shell, _) = try recordingShell()
        let directory = temporaryDirectory()
        try "topic create orders\npublish orders x\n".write(toFile: directory + "/setup.txt", atomically: true, encoding: .utf8)
        shell.execute("record start \(directory)/session.txt")
        #expect(shell.execute("source \(directory)/setup.txt"))
        let transcript = try TranscriptParser.parse(contents(directory + "/session.txt"))
        #expect(transcript.commands.map(\.text) == ["source \(directory)/setup.txt"])
        #expect(transcript.commands[0].expected.count == 2)
        #expect(try mismatches(directory + "/session.txt").isEmpty)
    }

    @Test("times from the system clock are recorded as [TIME], and the recording verifies on another run")
    func systemClockTimes() throws {
        let (shell, output) = try recordingShell(TranscriptSettings(clock: .system))
        let path = temporaryDirectory() + "/session.txt"
        shell.execute("record start \(path)")
        shell.execute("topic create orders; publish orders x; consume orders")
        #expect(output.text.contains("p0 @0  -  x  20"), "\(output.text)")
        let text = try contents(path)
        #expect(text.hasPrefix("% clock system\n"))
        #expect(text.contains("\np0 @0  -  x  [TIME]\n1 record\n"), "\(text)")
        #expect(try mismatches(path).isEmpty)
    }

    @Test("colours are left out of the recording")
    func noColours() throws {
        let (shell, _) = try recordingShell()
        shell.style = Style(isEnabled: true)
        let path = temporaryDirectory() + "/session.txt"
        shell.execute("record start \(path)")
        shell.execute("publish nowhere x")
        #expect(try !contents(path).contains("\u{1B}"))
        #expect(try mismatches(path).isEmpty)
    }

    @Test("the header holds the logical clock's time now and the broker configs that differ from Kafka's")
    func header() throws {
        let (shell, _) = try recordingShell(TranscriptSettings(width: 60, brokerSettings: ["log.cleaner.backoff.ms=200"]))
        shell.execute("clock advance 1d")
        let path = temporaryDirectory() + "/session.txt"
        shell.execute("record start \(path)")
        shell.execute("clock")
        let text = try contents(path)
        #expect(text.hasPrefix("% clock logical 2024-01-02T00:00:00Z\n% width 60\n% recorded "))
        #expect(text.contains("\n% set log.cleaner.backoff.ms=200\neventlab> clock\n"), "\(text)")
        let transcript = try TranscriptParser.parse(text)
        #expect(transcript.settings.brokerSettings == ["log.cleaner.backoff.ms=200"])
        #expect(try mismatches(path).isEmpty)
    }
}
