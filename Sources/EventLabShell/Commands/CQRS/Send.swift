import EventLabCore
import EventLabPatterns

/// `send COMMAND JSON [--expect-version N]`.
struct Send: ShellCommand {
    static let spec = CommandSpec(
        path: ["send"], arguments: [ArgumentSpec("COMMAND", .definedCommand), ArgumentSpec("JSON", .text, variadic: true)],
        options: [OptionSpec("--expect-version", .number, help: "reject the command unless the key is at this version (events applied), as `send` reports it and `state` shows it once the aggregate has folded (in manual flow, at the next `step`): optimistic concurrency")],
        summary: "Send a command: validate it against its aggregate's state, then append its events or reject it.",
        teaches: "Kafka itself has no conditional append, so real systems keep one writer per key or use transactions. `send` reads the end of the key's partition, folds the key's state, and decides; it appends only if that partition still ends where it validated, else catches up and validates again (and says so). A rejection writes nothing. With --expect-version the sender says which state it decided on: when another write moved the key on since, the command is rejected with the current version — two learners' concurrent commands show why.",
        examples: [
            #"send withdraw {"account":"a-1","amount":30}"#,
            #"send withdraw {"account":"a-1","amount":30} --expect-version 3"#,
        ])

    let name: String
    let payload: String
    let expectedVersion: String?

    init(_ words: Invocation) {
        name = words.arguments[0]
        payload = words.arguments.dropFirst().joined(separator: " ")
        expectedVersion = words.value("--expect-version")
    }

    func run(in shell: Shell) throws {
        let command = try shell.flows.command(name)
        // An aggregate cannot be deleted while a command validates against it.
        let slot = try shell.flows.aggregate(command.aggregate)
        let version = try expectedVersion.map { try shell.number($0, for: "--expect-version") }
        do throws(JSONError) {
            _ = try JSONParser.parse(payload)
        } catch {
            throw ShellError("the payload is not JSON (at byte \(error.offset): \(error.message)): \(TerminalText.escape(payload).truncated(to: 60)); send an object such as `send \(name) {\"account\":\"a-1\",\"amount\":30}`")
        }
        let send = CommandSend(command, against: slot.aggregate, payload: Array(payload.utf8), expectedVersion: version)
        let report: CommandReport
        do {
            report = try send.run(in: shell.broker)
        } catch let contention as CommandContention {
            try shell.changeFlows { $0.count(contention, of: name) }
            // Each try is told, as when a later one succeeds; then the error that nothing was written.
            for line in Self.lines(contention) { shell.say(line) }
            throw ShellError(contention.description)
        }
        try shell.changeFlows { $0.count(report, of: name) }
        for line in Self.lines(report, aggregate: slot.aggregate.name) { shell.say(line) }
        for line in Self.notes(report, slot, manual: shell.flows.mode == .manual) { shell.say(line) }
        // Inline projections see the events before `send` returns; the others wait for the
        // scheduler, as events from `publish` or real clients do.
        if case .accepted = report.outcome { shell.catchUpInlineProjections() }
    }

    /// What a send did: tries sent round again, then what was appended and the state, or the rejection.
    static func lines(_ report: CommandReport, aggregate: String) -> [String] {
        let place = "\(report.topic) p\(report.partition)"
        var lines = lines(report.conflicts, place: place)
        let key = TerminalText.escape(report.key)
        switch report.outcome {
        case .accepted(_, let appended, let state):
            lines += appended.map { "appended \(place) @\($0.offset) \(TerminalText.escape($0.eventType))" }
            lines.append("\(aggregate) \(key) is at version \(state.version): \(TerminalText.escape(state.state.description))")
        case .rejected(let message, let current):
            lines.append("rejected: \(TerminalText.escape(message))")
            lines.append("nothing was written; \(aggregate) \(key) stays at version \(current.version): \(TerminalText.escape(current.state.description))")
        }
        return lines
    }

    /// Where `send`'s answer and `state`'s may differ, and why: the send folds the key from the
    /// log under the rules as they are now, while `state` shows the live aggregate, which may
    /// mix earlier rules in, or (in manual flow) not have folded the events yet.
    static func notes(_ report: CommandReport, _ slot: Flows.AggregateSlot, manual: Bool) -> [String] {
        let name = slot.aggregate.name, key = TerminalText.escape(report.key)
        var notes: [String] = []
        if slot.mixesRules {
            notes.append("(validated against \(key)'s events folded under \(name)'s rules as they are now; the live states of aggregate \(name) mix earlier rules, so `state \(name) \(key)` may differ until `aggregate rebuild \(name)`)")
        }
        if manual, case .accepted = report.outcome {
            let live = slot.states[report.key].map { "shows version \($0.version)" } ?? "finds no key \(key)"
            notes.append("(flow manual: aggregate \(name) folds these events at the next `step`; until then `state \(name) \(key)` \(live))")
        }
        return notes
    }

    /// What a send that gave up says before its error: each try, sent round again.
    static func lines(_ contention: CommandContention) -> [String] {
        lines(contention.conflicts, place: "\(contention.topic) p\(contention.partition)")
    }

    /// A line per try refused because another write landed in `place` (`accounts p0`).
    private static func lines(_ conflicts: [CommandConflict], place: String) -> [String] {
        conflicts.map { conflict in
            "validated again: another write landed in \(place) (its end moved from @\(conflict.validatedAt) to @\(conflict.endedAt)) between validating and appending"
        }
    }
}
