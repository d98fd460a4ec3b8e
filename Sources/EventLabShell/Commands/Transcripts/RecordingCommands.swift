/// Recording a session as a transcript.
enum RecordingCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [RecordStart.self, RecordStop.self]

    static let teaches = "A recording is a session a class can replay (`eventlab replay FILE`) and CI can verify (`eventlab verify FILE` re-runs it on a fresh workspace and fails when any output changed). It replays the same when it starts from an empty workspace on the logical clock: `eventlab --memory --clock logical --record FILE` records a whole session that way. Times from the system clock, member ids and ports are written as [TIME], [MEMBER] and [PORT], so they match whatever the next run prints. The format is in transcripts/README.md."
}

/// `record start FILE [--force]`.
struct RecordStart: ShellCommand {
    static let spec = CommandSpec(
        path: ["record", "start"], arguments: [ArgumentSpec("FILE", .file)],
        options: [OptionSpec("--force", help: "replace FILE if it exists")],
        summary: "Write every command from now on, with its output, to FILE as a transcript.",
        teaches: RecordingCommands.teaches,
        examples: ["record start lesson.txt", "record start lesson.txt --force"])

    let path: String
    let replacing: Bool

    init(_ words: Invocation) {
        path = words.arguments[0]
        replacing = words.has("--force")
    }

    func run(in shell: Shell) throws {
        let note = try shell.startRecording(to: path, replacing: replacing)
        shell.say("recording to \(path): each command from now on and its output; `record stop` ends it")
        if let note { shell.say(note) }
    }
}

/// `record stop`.
struct RecordStop: ShellCommand {
    static let spec = CommandSpec(
        path: ["record", "stop"], arguments: [], options: [],
        summary: "Stop recording and close the transcript.",
        teaches: RecordingCommands.teaches,
        examples: ["record stop"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        let (path, commands) = try shell.stopRecording()
        shell.say("recorded \(commands) command\(commands == 1 ? "" : "s") to \(path): `eventlab verify \(path)` checks they still print the same")
    }
}
