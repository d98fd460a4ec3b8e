import EventLabCore
import EventLabPatterns

/// `state NAME KEY [--at OFFSET|TIME] [--version N] [--trace]`.
struct StateCommand: ShellCommand {
    static let spec = CommandSpec(
        path: ["state"], arguments: [ArgumentSpec("AGGREGATE", .aggregate), ArgumentSpec("KEY", .aggregateKey)],
        options: [
            OptionSpec("--at", .text, help: "the state as of an offset (in the key's partition) or a UTC time such as 2024-01-01T00:00:05Z"),
            OptionSpec("--version", .number, help: "the state after the key's first N events"),
            OptionSpec("--trace", help: "every event applied, in order, with the state after each"),
        ],
        summary: "Show a key's state in an aggregate: now, at an offset or time, or after its N-th event.",
        teaches: "Time travel: since the state is a fold of the key's events, folding only those up to a point gives the state as it was then — what a table of current values cannot tell. --trace shows the fold itself, event by event. The past is replayed under the current rules, from the log, so it is what these rules make of it.",
        examples: ["state account a-1", "state account a-1 --at 3", "state account a-1 --at 2024-01-01T00:00:05Z", "state account a-1 --version 2", "state account a-1 --trace"])

    let name: String
    let key: String
    let at: String?
    let version: String?
    let trace: Bool

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        key = words.arguments[1]
        at = words.value("--at")
        version = words.value("--version")
        trace = words.has("--trace")
        if at != nil, version != nil { throw ShellError("give --at or --version, not both: each picks one point of the key's history") }
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        let point = try self.point(in: shell)
        let shown = TerminalText.escape(key)
        guard point != nil || trace else { return try current(slot, in: shell) }
        let steps = try slot.aggregate.trace(key: key, in: shell.broker)
        guard let first = steps.first else { throw noKey(slot, shown) }
        let kept: [AggregateTraceStep]
        switch point {
        case .offset(let offset)?:
            guard offset >= first.offset else {
                throw ShellError("--at \(offset) is before \(shown)'s first event, at \(slot.aggregate.source) p\(first.partition) @\(first.offset): there was no state of \(shown) yet")
            }
            kept = steps.filter { $0.offset <= offset }
        case .time(let time)?:
            guard time >= first.timestamp else {
                throw ShellError("--at \(shell.time(time)) is before \(shown)'s first event, at \(shell.time(first.timestamp)): there was no state of \(shown) yet")
            }
            kept = steps.filter { $0.timestamp <= time }
        case .version(let wanted)?:
            guard wanted <= steps.count else {
                throw ShellError("--version \(wanted) is past \(shown)'s history: it has \(steps.count) event\(steps.count == 1 ? "" : "s") under the current rules")
            }
            kept = Array(steps.prefix(wanted))
        case nil:
            kept = steps
        }
        if trace {
            for line in Self.trace(kept, initial: slot.aggregate.initial, width: shell.width, in: shell) { shell.say(line) }
            return
        }
        let last = kept.last!
        shell.say(TerminalText.escape(last.state.description))
        shell.say("version \(last.version) of \(steps.count), its last event \(last.eventType) at \(slot.aggregate.source) p\(last.partition) @\(last.offset) (\(shell.time(last.timestamp)))")
    }

    /// The key's state as the live aggregate holds it, whole: it is the answer asked for.
    private func current(_ slot: Flows.AggregateSlot, in shell: Shell) throws {
        guard let entry = slot.states[key] else { throw noKey(slot, TerminalText.escape(key)) }
        shell.say(TerminalText.escape(entry.state.description))
        let place = entry.partition.map { partition in "its last event at \(slot.aggregate.source) p\(partition) @\(entry.offset!)" } ?? "from its snapshot"
        shell.say("version \(entry.version), \(place)")
        if slot.mixesRules {
            shell.say("(folded partly under earlier rules or upcasters: `aggregate rebuild \(name)` replays it under the rules as they are)")
        }
    }

    /// One line per event, `v2  p0 @3  2024-01-01T00:00:00Z  Withdrawn  {"balance":7}`, after
    /// `v0  initial …`; columns padded so the states line up, each state cut to the width left.
    private static func trace(_ steps: [AggregateTraceStep], initial: JSON, width: Int, in shell: Shell) -> [String] {
        let rows = steps.map { step in
            ["v\(step.version)", "p\(step.partition) @\(step.offset)", shell.time(step.timestamp), TerminalText.escape(step.eventType)]
        }
        let versions = rows.map { $0[0].count }.max() ?? 2
        let places = (0..<3).map { column in rows.map { $0[column + 1].count }.max() ?? 0 }
        func pad(_ text: String, _ to: Int) -> String { text + String(repeating: " ", count: max(0, to - text.count)) }
        // The initial state has no event: "initial" spans the place, time and type columns.
        let event = max("initial".count, places.reduce(0, +) + 2 * (places.count - 1))
        var heads = [pad("v0", versions) + "  " + pad("initial", event) + "  "]
        for row in rows {
            heads.append(pad(row[0], versions) + "  " + pad(zip(row.dropFirst(), places).map { pad($0, $1) }.joined(separator: "  "), event) + "  ")
        }
        let states = [initial] + steps.map(\.state)
        return zip(heads, states).map { head, state in head + AggregateText.json(state, width: max(12, width - head.count)) }
    }

    private func noKey(_ slot: Flows.AggregateSlot, _ shown: String) -> ShellError {
        let keys = slot.states.keys.sorted().prefix(10).map { TerminalText.escape($0) }
        let known = keys.isEmpty ? "it holds no key yet" : "its keys include \(keys.joined(separator: ", "))"
        return ShellError("aggregate \(name) has no key \(shown): no event of \(slot.aggregate.source) it folded has that key (\(known))")
    }

    /// The point --at or --version names, nil for none.
    private func point(in shell: Shell) throws -> AggregatePoint? {
        if let version { return .version(try shell.number(version, for: "--version", atLeast: 1)) }
        guard let at else { return nil }
        if at.allSatisfy(\.isNumber) { return .offset(Int64(try shell.number(at, for: "--at"))) }
        guard !at.hasPrefix("-"), let time = TimeText.parseTime(at) else {
            throw ShellError("--at takes an offset (a whole number of 0 or more) or a UTC time such as 2024-01-01T00:00:05Z, not '\(at)'")
        }
        return .time(time)
    }
}
