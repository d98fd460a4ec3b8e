import EventLabCore
import EventLabShell
import Foundation
import Testing

/// A console that records what a replay shows, types and waits for, and answers each wait
/// with the next scripted key.
final class ScriptedConsole: ReplayConsole {
    private(set) var events: [String] = []
    private var keys: [ReplayKey]
    /// What the teacher does in the REPL.
    var improvising: (TranscriptSession) -> Void = { _ in }
    /// The text whose typing Ctrl-C interrupts.
    var interruptedTyping: String?

    init(keys: [ReplayKey] = []) {
        self.keys = keys
    }

    func show(_ line: String) { events.append(line) }

    func type(_ text: String, after prompt: String) -> Bool {
        events.append(prompt + text)
        return text != interruptedTyping
    }

    func wait(hint: String) -> ReplayKey {
        events.append("[wait] " + hint)
        guard !keys.isEmpty else {
            Issue.record("a wait nobody scripted a key for: \(hint)")
            return .quit
        }
        return keys.removeFirst()
    }

    func improvise(on session: TranscriptSession) {
        events.append("[improvise]")
        improvising(session)
    }

    /// The events from `first` on.
    func events(from first: String) -> [String] {
        Array(events.drop { $0 != first })
    }
}

@Suite("Replay")
struct ReplayTests {
    static let lessonPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/transcripts/lesson.txt").path
    static let lessonText = (try? String(contentsOfFile: lessonPath, encoding: .utf8)) ?? ""
    static let pause = "[wait] ── paused · Enter goes on · r opens the REPL here · q quits"
    static let step = "[wait] ── next command · Enter runs it · r opens the REPL here · q quits"
    static let firstList = ["eventlab> topic list", "TOPIC   PARTITIONS  RECORDS  CLEANUP  RETENTION", "orders  3           0        delete   7d"]

    func lesson() throws -> Transcript { try TranscriptParser.parse(Self.lessonText) }

    func replay(_ transcript: Transcript, _ console: ScriptedConsole, _ options: Replay.Options = .init()) throws -> (Replay.Outcome, Int) {
        let replay = try Replay(transcript, opener: MemoryTranscriptWorkspace.opener, console: console, options: options)
        return (try replay.run(), replay.differing)
    }

    @Test("headings, narration, typed commands and their real output, in order; it waits at the pause")
    func wholeLesson() throws {
        let console = ScriptedConsole(keys: [.go])
        let (outcome, differing) = try replay(lesson(), console)
        #expect(outcome == .finished)
        #expect(differing == 0)
        #expect(console.events == [
            "## Topics",
            "# A topic is a log split into partitions. Make one with three:",
            "eventlab> topic create orders --partitions 3",
            "created topic orders with 3 partitions · cleanup delete · retention 7d",
            Self.pause,
        ] + Self.firstList + [
            "",
            "## Records",
            "# A record's key picks its partition, as Java's producer does:",
            "eventlab> publish orders key=o-1 {\"type\":\"OrderPlaced\",",
            "     ...> \"total\":42}",
            console.events[13],
            "eventlab> topic list",
            "TOPIC   PARTITIONS  RECORDS  CLEANUP  RETENTION",
            "orders  3           1        delete   7d",
        ])
        #expect(console.events[13].hasPrefix("orders p"))
    }

    @Test("with step it waits before each command, once only right after a pause")
    func stepWaits() throws {
        let console = ScriptedConsole(keys: [.go, .go, .go, .go])
        let (outcome, _) = try replay(lesson(), console, .init(step: true))
        #expect(outcome == .finished)
        let waits = console.events.filter { $0.hasPrefix("[wait]") }
        #expect(waits == [Self.step, Self.pause, Self.step, Self.step])
        let beforeFirst = try #require(console.events.firstIndex(of: "eventlab> topic create orders --partitions 3"))
        #expect(console.events[beforeFirst - 1] == Self.step)
    }

    @Test("q at the pause quits: nothing after it is typed or run")
    func quitAtPause() throws {
        let console = ScriptedConsole(keys: [.quit])
        let (outcome, differing) = try replay(lesson(), console)
        #expect(outcome == .quit)
        #expect(differing == 0)
        #expect(console.events.last == Self.pause)
    }

    @Test("Ctrl-C while a command is typed quits before it runs")
    func quitWhileTyping() throws {
        let console = ScriptedConsole(keys: [.go])
        console.interruptedTyping = "topic list"
        let (outcome, _) = try replay(lesson(), console)
        #expect(outcome == .quit)
        #expect(console.events.last == "eventlab> topic list")
    }

    @Test("after improvising in the REPL the recorded state is restored on a fresh workspace, and the replay goes on")
    func improviseThenRestore() throws {
        let console = ScriptedConsole(keys: [.improvise, .go])
        var improvised: [String] = []
        console.improvising = { session in
            _ = session.run("topic create improvised")
            _ = session.run("publish orders spoiled")
            improvised = session.broker.topics().map(\.name)
        }
        let (outcome, differing) = try replay(lesson(), console)
        #expect(outcome == .finished)
        #expect(differing == 0)
        #expect(Array(console.events(from: "[improvise]").prefix(6)) == [
            "[improvise]", "── back to the replay: the recorded state is restored", Self.pause,
        ] + Self.firstList)
        #expect(improvised.sorted() == ["improvised", "orders"], "the REPL ran on the state the replay had reached")
    }

    @Test("output that differs from the recording is flagged with the expected lines, and the replay goes on")
    func differenceFlagged() throws {
        let changed = Self.lessonText.replacingOccurrences(of: "orders  3           1        delete   7d", with: "orders  3           9        delete   7d")
        let console = ScriptedConsole(keys: [.go])
        let (outcome, differing) = try replay(TranscriptParser.parse(changed), console)
        #expect(outcome == .finished)
        #expect(differing == 1)
        #expect(Array(console.events.suffix(6)) == [
            "eventlab> topic list",
            "TOPIC   PARTITIONS  RECORDS  CLEANUP  RETENTION",
            "orders  3           1        delete   7d",
            "── differs from the recording; expected:",
            "TOPIC   PARTITIONS  RECORDS  CLEANUP  RETENTION",
            "orders  3           9        delete   7d",
        ])
    }

    @Test("the expected lines of a flag read as the class would see them: no `\\` escapes, placeholders as written")
    func flaggedLinesUnescaped() throws {
        let transcript = try TranscriptParser.parse("eventlab> topic create t\n\\# created [..]\n")
        let console = ScriptedConsole()
        _ = try replay(transcript, console)
        #expect(Array(console.events.suffix(2)) == ["── differs from the recording; expected:", "# created [..]"])
    }

    @Test("--from a section starts at its heading; what comes before runs silently")
    func fromSection() throws {
        let transcript = try lesson()
        let console = ScriptedConsole()
        let start = try ReplayStart.index(of: "rec", in: transcript)
        let (outcome, differing) = try replay(transcript, console, .init(start: start))
        #expect(outcome == .finished)
        #expect(differing == 0)
        #expect(console.events.first == "## Records")
        #expect(console.events.last == "orders  3           1        delete   7d")
        #expect(!console.events.contains { $0.contains("topic create") || $0.hasPrefix("[wait]") })
    }

    @Test("--from N starts at command N")
    func fromNumber() throws {
        let transcript = try lesson()
        let console = ScriptedConsole()
        _ = try replay(transcript, console, .init(start: ReplayStart.index(of: "4", in: transcript)))
        #expect(console.events.first == "eventlab> topic list")
        #expect(console.events.last == "orders  3           1        delete   7d")
        #expect(console.events.count == 3)
    }

    @Test("a command before the start that differs is still counted, and named")
    func silentDifference() throws {
        let changed = Self.lessonText.replacingOccurrences(of: "orders  3           0        delete   7d", with: "orders  3           7        delete   7d")
        let transcript = try TranscriptParser.parse(changed)
        let console = ScriptedConsole()
        let (_, differing) = try replay(transcript, console, .init(start: ReplayStart.index(of: "Records", in: transcript)))
        #expect(differing == 1)
        #expect(console.events.first == "── command 2 (line 9, run before the start) differs from the recording: eventlab> topic list")
    }

    @Test("a --from that names nothing, or more than one section, lists the sections")
    func fromErrors() throws {
        let transcript = try TranscriptParser.parse("## Topics\neventlab> topic list\n## Topic configs\neventlab> topic list\n")
        #expect(try ReplayStart.index(of: "topics", in: transcript) == 0)
        #expect(try ReplayStart.index(of: "topic c", in: transcript) == 2)
        #expect(try ReplayStart.index(of: "2", in: transcript) == 3)
        #expect(throws: ShellError(#"--from topic: 2 sections start with it, give more of the heading; the sections are: "Topics", "Topic configs""#)) {
            try ReplayStart.index(of: "topic", in: transcript)
        }
        #expect(throws: ShellError(#"--from groups: no section starts with it; the sections are: "Topics", "Topic configs""#)) {
            try ReplayStart.index(of: "groups", in: transcript)
        }
        #expect(throws: ShellError("--from 3: the transcript has 2 commands; give a number from 1 to 2, or a section")) {
            try ReplayStart.index(of: "3", in: transcript)
        }
        #expect(throws: ShellError.self) { try ReplayStart.index(of: "0", in: transcript) }
        #expect(throws: ShellError("--from 99999999999999999999: the transcript has 2 commands; give a number from 1 to 2, or a section")) {
            try ReplayStart.index(of: "99999999999999999999", in: transcript)
        }
        #expect(throws: ShellError("--from needs a section heading (its text, or the start of it) or a command number")) {
            try ReplayStart.index(of: "", in: transcript)
        }
        let twice = try TranscriptParser.parse("## Intro\neventlab> topic list\n## Intro\neventlab> topic list\n")
        #expect(throws: ShellError(#"--from intro: 2 sections start with it, give more of the heading; the sections are: "Intro", "Intro" (a heading used twice: start at a command number instead)"#)) {
            try ReplayStart.index(of: "intro", in: twice)
        }
    }

    @Test("without a terminal the whole session prints at once, flags included, and nothing waits")
    func noTerminal() throws {
        let output = CapturedOutput()
        let run = ReplayRun(opener: MemoryTranscriptWorkspace.opener, console: PlainReplayConsole(output: output), style: Style(isEnabled: false), errors: output)
        #expect(run.run(file: Self.lessonPath, from: nil, step: true, waits: false) == ReplayRun.matched)
        let lines = output.lines
        #expect(lines.first == "## Topics")
        #expect(lines.contains("eventlab> topic create orders --partitions 3"))
        #expect(lines.contains("     ...> \"total\":42}"))
        #expect(lines.last == "── end of the replay: all 4 commands printed what was recorded")
        #expect(!lines.contains { $0.contains("paused") || $0.contains("next command") })
    }

    @Test("the exit status: 1 when output differed, 2 for a malformed file or a bad --from")
    func exitStatus() throws {
        let directory = NSTemporaryDirectory() + "eventlab-replay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let changed = directory + "/changed.txt", malformed = directory + "/malformed.txt"
        try Self.lessonText.replacingOccurrences(of: "retention 7d", with: "retention 8d").write(toFile: changed, atomically: true, encoding: .utf8)
        try "# narration\nan output line with no command\n".write(toFile: malformed, atomically: true, encoding: .utf8)
        let output = CapturedOutput()
        let run = ReplayRun(opener: MemoryTranscriptWorkspace.opener, console: PlainReplayConsole(output: output), style: Style(isEnabled: false), errors: output)
        #expect(run.run(file: changed, from: nil, step: false, waits: false) == ReplayRun.differed)
        #expect(output.lines.last == "── end of the replay: 1 of 4 commands printed something other than the recording")
        #expect(run.run(file: malformed, from: nil, step: false, waits: false) == ReplayRun.malformed)
        #expect(output.errors.last?.hasPrefix("error: \(malformed) line 2: ") == true)
        #expect(run.run(file: Self.lessonPath, from: "nowhere", step: false, waits: false) == ReplayRun.malformed)
        #expect(output.errors.last == #"error: --from nowhere: no section starts with it; the sections are: "Topics", "Records""#)
        #expect(run.run(file: directory + "/missing.txt", from: nil, step: false, waits: false) == ReplayRun.malformed)
    }
}
