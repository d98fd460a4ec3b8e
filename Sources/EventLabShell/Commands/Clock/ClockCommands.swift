import EventLabCore

/// Reading and moving the broker clock.
enum ClockCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [ShowClock.self, AdvanceClock.self]
}

/// `clock`.
struct ShowClock: ShellCommand {
    static let spec = CommandSpec(
        path: ["clock"], arguments: [], options: [],
        summary: "Show the broker clock and the timed work due on it.",
        teaches: "Two kinds of time run. Broker rules (the retention check every log.retention.check.interval.ms, the log cleaner's pass over compacted topics every log.cleaner.backoff.ms, segment rolling by age, the offsets retention check every offsets.retention.check.interval.ms that removes the offsets of groups without members after offsets.retention.minutes, compaction lags) and record timestamps read the broker clock: in lessons it is logical, moves only when you say so, and `clock` lists what falls due on it. Protocol timers of real clients (fetch max_wait, session and rebalance timeouts) always run on real time, so a client such as kcat never waits for `clock advance`. A topic created on the logical clock gets message.timestamp.type=LogAppendTime, stored with it: the broker stamps each record with its clock on append, because records from real clients carry today's date while the logical clock lives in 2024, and time retention would never remove them. Give --config message.timestamp.type=CreateTime to keep the producers' times.",
        examples: ["clock", "clock advance 8d"])

    init(_ words: Invocation) {}

    /// The clock, and the timed work waiting on it, so `clock advance` is predictable.
    func run(in shell: Shell) {
        let kind = shell.logicalClock == nil ? "system clock" : "logical clock: moves only on `clock advance`"
        shell.say("\(shell.time(shell.broker.clock.now()))  (\(kind))")
        let pending = shell.broker.scheduler.pending(.broker)
        if !pending.isEmpty {
            shell.say("due on the broker clock:")
            for task in pending {
                shell.say("  \(shell.time(task.due))  \(task.label)\(task.period.map { ", every \(TimeText.formatDuration($0))" } ?? "")")
            }
        }
        // Only real clients make these worth counting; without a listener the count would show
        // the shell's own consumers' leftover alarms, which vary with how fast a person types.
        let timers = shell.broker.scheduler.pending(.real).count
        if shell.listener?.addresses != nil, timers > 0 {
            shell.say("\(timers) real-time timer\(timers == 1 ? "" : "s") wait\(timers == 1 ? "s" : "") too: protocol timers of real clients, which run on real time whatever this clock says")
        }
    }
}

/// `clock advance DURATION`.
struct AdvanceClock: ShellCommand {
    static let spec = CommandSpec(
        path: ["clock", "advance"], arguments: [ArgumentSpec("DURATION", .duration)], options: [],
        summary: "Move the logical clock forward, running broker work at its due times.",
        teaches: "Time-based retention only acts when time passes and a check runs. Broker-clock work (the retention check every log.retention.check.interval.ms, the log cleaner's pass every log.cleaner.backoff.ms, the offsets retention check every offsets.retention.check.interval.ms) runs at its own due time, in order, as the clock passes it; a task missed many times runs once, at its last due time, so `clock advance 36500d` is quick; what it did is printed after. Real-time protocol timers of real clients do not move with it. The clock goes up to 9999-12-31T23:59:59.999Z, the last time ISO 8601 writes with four digits.",
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
        try shell.broker.scheduler.advanceClock(by: milliseconds)
        shell.say("clock is now \(TimeText.format(logicalClock.now()))")
    }
}
