import EventLabCore

extension Shell {
    /// Writes what background work did since last asked: after each command, and in the REPL
    /// before each prompt, never in the middle of a line being typed.
    public func printNotices() {
        for notice in broker.notices.take() {
            for line in NoticeText.lines(notice) {
                if line.isWarning {
                    output.error(style.error("warning:") + " \(line.text)")
                } else {
                    say(line.text)
                }
            }
        }
    }

    /// The broker clock, and the timed work waiting on it, so `clock advance` is predictable.
    func showClock() {
        let kind = logicalClock == nil ? "system clock" : "logical clock: moves only on `clock advance`"
        say("\(TimeText.format(broker.clock.now()))  (\(kind))")
        let pending = broker.scheduler.pending(.broker)
        if !pending.isEmpty {
            say("due on the broker clock:")
            for task in pending {
                say("  \(TimeText.format(task.due))  \(task.label)\(task.period.map { ", every \(TimeText.formatDuration($0))" } ?? "")")
            }
        }
        let timers = broker.scheduler.pending(.real).count
        if timers > 0 {
            say("\(timers) real-time timer\(timers == 1 ? "" : "s") wait\(timers == 1 ? "s" : "") too: protocol timers of real clients, which run on real time whatever this clock says")
        }
    }

    /// Moves the logical clock, running each broker task at its own due time on the way.
    func advanceClock(_ invocation: Invocation) throws {
        let text = invocation.arguments[0]
        guard let logicalClock else {
            throw ShellError("this broker runs on the system clock, which cannot be moved; start EventLab with --clock logical")
        }
        guard let milliseconds = try TimeText.parseDuration(text, for: "clock advance") else {
            throw ShellError("'\(text)' is not a duration: write 8d, 12h, 30m, 45s, 500ms or combinations like 1h30m")
        }
        let room = LogicalClock.latest.subtractingSaturating(logicalClock.now())
        guard milliseconds <= room else {
            throw ShellError("clock advance \(text) would pass \(TimeText.format(LogicalClock.latest)), the latest time the logical clock reads: from \(TimeText.format(logicalClock.now())) it can move at most \(TimeText.formatDuration(room)) (\(room) ms)")
        }
        try broker.scheduler.advanceClock(by: milliseconds)
        say("clock is now \(TimeText.format(logicalClock.now()))")
    }
}
