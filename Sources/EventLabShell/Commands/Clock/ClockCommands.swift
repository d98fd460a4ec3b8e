import EventLabCore

/// Reading and moving the broker clock.
enum ClockCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [ShowClock.self, AdvanceClock.self]
}

/// `clock`.
struct ShowClock: ShellCommand {
    static let spec = CommandSpec(
        path: ["clock"], arguments: [], options: [],
        summary: "Show the broker clock.",
        teaches: "Record timestamps, retention and compaction all read this clock; in lessons it is logical and moves only when you say so.",
        examples: ["clock", "clock advance 8d"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let kind = shell.logicalClock == nil ? "system clock" : "logical clock: moves only on `clock advance`"
        shell.say("\(TimeText.format(shell.broker.clock.now()))  (\(kind))")
    }
}

/// `clock advance DURATION`.
struct AdvanceClock: ShellCommand {
    static let spec = CommandSpec(
        path: ["clock", "advance"], arguments: [ArgumentSpec("DURATION", .duration)], options: [],
        summary: "Move the logical clock forward; due cleaning runs after.",
        teaches: "Time-based retention only acts when time passes and a cleaning runs. The clock goes up to 9999-12-31T23:59:59.999Z, the last time ISO 8601 writes with four digits.",
        examples: ["clock advance 8d", "clock advance 1h30m"])

    let text: String

    init(_ words: Invocation) { text = words.arguments[0] }

    func run(in shell: Shell) throws {
        guard let logicalClock = shell.logicalClock else {
            throw ShellError("this broker runs on the system clock, which cannot be moved; start EventLab with --clock logical")
        }
        guard let milliseconds = try TimeText.parseDuration(text, for: "clock advance") else {
            throw ShellError("'\(text)' is not a duration: write 8d, 12h, 30m, 45s, 500ms or combinations like 1h30m")
        }
        let room = LogicalClock.latest.subtractingSaturating(logicalClock.now())
        guard milliseconds <= room else {
            throw ShellError("clock advance \(text) would pass \(TimeText.format(LogicalClock.latest)), the latest time the logical clock reads: from \(TimeText.format(logicalClock.now())) it can move at most \(TimeText.formatDuration(room)) (\(room) ms)")
        }
        try logicalClock.advance(by: milliseconds)
        shell.say("clock is now \(TimeText.format(logicalClock.now()))")
    }
}
