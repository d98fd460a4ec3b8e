import EventLabCore
import EventLabPatterns

/// `state NAME KEY [--at OFFSET|TIME] [--version N] [--trace]`.
struct StateCommand: ShellCommand {
    static let spec = CommandSpec(
        path: ["state"], arguments: [ArgumentSpec("AGGREGATE", .aggregate), ArgumentSpec("KEY", .aggregateKey)],
        options: [
            OptionSpec("--at", .text, help: "the state as of an offset in the key's partition (the one its key hashes to) or a UTC time such as 2024-01-01T00:00:05Z"),
            OptionSpec("--version", .number, help: "the state after the key's first N events (0: the initial state)"),
            OptionSpec("--trace", help: "every event applied, in order, with the state after each"),
        ],
        summary: "Show a key's state in an aggregate: now, at an offset or time, or after its N-th event.",
        teaches: "Time travel: since the state is a fold of the key's events, folding only those up to a point gives the state as it was then — what a table of current values cannot tell. --trace shows the fold itself, event by event. An offset orders only the key's own partition: its events published under another key, in other partitions, are not before or after it, so --at OFFSET says which it holds and leaves out; --at TIME is the last version whose events are all stamped at or before it, and --version N orders them all. The past is replayed under the current rules, from the log, so it is what these rules make of it.",
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
        let history = try KeyHistory.history(of: key, in: slot, shell: shell)
        let entries = KeyHistory.entries(history, initial: slot.aggregate.initial)
        guard let newest = entries.last, newest.version > 0 else { throw noKey(slot, shown, in: shell) }
        let source = slot.aggregate.source
        let lost = KeyHistory.deleted(history, key: shown, in: slot, shell: shell)
        let kept: [KeyHistory.Entry]
        var unordered: String?
        switch point {
        case .offset(let offset)?:
            let partition = try slot.aggregate.partition(ofKey: key, in: shell.broker)
            try Self.checkEnd(offset, partition: partition, source: source, in: shell)
            let first = history.steps.first { $0.partition == partition }
            if first == nil, lost == nil {
                throw ShellError("--at \(offset) is an offset in \(shown)'s partition, \(source) p\(partition) (where key \(shown) hashes), and none of its events are there: they were published under other keys, so no offset orders them; give a UTC time such as 2024-01-01T00:00:05Z, or --version N")
            }
            // The state after the key's last event in its partition at or before the offset, in
            // fold order; a snapshot's state counts once it read the partition no further.
            let last = entries.lastIndex { entry in
                guard let step = entry.step else { return entry.version > 0 && (history.snapshot?.at[partition] ?? 0) <= offset + 1 }
                return step.partition == partition && step.offset <= offset
            }
            guard let last, last > 0 else {
                if let lost { throw ShellError("--at \(offset) is before what the log holds of \(shown): \(lost), so its state then is gone") }
                let at = first.map { " in its partition, at \(source) p\($0.partition) @\($0.offset)" } ?? ""
                throw ShellError("--at \(offset) is before \(shown)'s first event\(at): there was no state of \(shown) yet")
            }
            kept = Array(entries[...last])
            unordered = Self.unordered(history.steps, partition: partition, through: entries[last].version, key: shown, source: source)
        case .time(let time)?:
            // A snapshot's state has no time of its own: it is there once an event after it is.
            let afterSnapshot = history.after.contains { $0.timestamp <= time }
            // The last version whose events are all at or before the time: a state holds every
            // event folded before it, so an event stamped later ends the versions that were.
            let cut = entries.firstIndex { entry in
                !(entry.version == 0 || entry.step.map { $0.timestamp <= time } ?? afterSnapshot)
            } ?? entries.endIndex
            kept = Array(entries[..<cut])
            if cut < entries.endIndex {
                unordered = Self.stampedLater(entries[cut...].compactMap(\.step), before: time, after: entries[cut], key: shown, in: shell)
            }
            guard kept.count > 1 else {
                let first = history.steps.first
                let when = first.map { " (\(source) p\($0.partition) @\($0.offset), \(shell.time($0.timestamp)))" } ?? ""
                if let lost, let snapshot = history.snapshot {
                    throw ShellError("--at \(shell.time(time)) is before \(shown)'s first event the log holds\(when): \(lost); its snapshot holds the state after them, v\(snapshot.entry.version), but not when they were, so its state then is not known")
                }
                if let lost { throw ShellError("--at \(shell.time(time)) is before \(shown)'s first event the log holds\(when): \(lost), so its state then is gone") }
                let at = first.map { ", at \(shell.time($0.timestamp))" } ?? ""
                throw ShellError("--at \(shell.time(time)) is before \(shown)'s first event\(at): there was no state of \(shown) yet")
            }
        case .version(let wanted)?:
            if wanted == 0 {
                kept = [entries[0]]
                break
            }
            guard wanted <= newest.version else {
                throw ShellError("--version \(wanted) is past \(shown)'s history: it has \(newest.version) event\(newest.version == 1 ? "" : "s") under the current rules")
            }
            guard let last = entries.lastIndex(where: { $0.version == wanted }) else {
                throw ShellError("--version \(wanted) is gone: \(lost ?? "the log no longer holds it"); the oldest version left is v\(entries[1].version)")
            }
            kept = Array(entries[...last])
        case nil:
            kept = entries
        }
        if trace {
            if let lost { shell.say("(\(lost)\(history.gone == 0 ? "; the versions and states below count from the first event kept" : ""))") }
            for line in Self.trace(kept, width: shell.width, snapshotTopic: slot.aggregate.snapshotTopic, in: shell) { shell.say(line) }
            if let unordered { shell.say("(\(unordered))") }
            return
        }
        let last = kept.last!
        shell.say(TerminalText.escape(last.state.description))
        switch last.step {
        case _ where last.version == 0:
            shell.say("version 0 of \(newest.version): the initial state, before any event")
        case let step?:
            shell.say("version \(last.version) of \(newest.version), its last event \(step.eventType) at \(source) p\(step.partition) @\(step.offset) (\(shell.time(step.timestamp)))")
        case nil:
            shell.say("version \(last.version) of \(newest.version), from its snapshot in \(slot.aggregate.snapshotTopic): \(lost ?? "its events are before it")")
        }
        if let unordered { shell.say("(\(unordered))") }
    }

    /// The key's state as the live aggregate holds it, whole: it is the answer asked for.
    private func current(_ slot: Flows.AggregateSlot, in shell: Shell) throws {
        guard let entry = slot.states[key] else { throw noKey(slot, TerminalText.escape(key), in: shell) }
        shell.say(TerminalText.escape(entry.state.description))
        let place = entry.partition.map { partition in "its last event at \(slot.aggregate.source) p\(partition) @\(entry.offset!)" } ?? "from its snapshot"
        shell.say("version \(entry.version), \(place)")
        if let waiting = AggregateText.waiting(slot, in: shell) { shell.say("(\(waiting))") }
        if slot.mixesRules {
            shell.say("(folded partly under earlier rules or upcasters: `aggregate rebuild \(name)` replays it under the rules as they are)")
        }
    }

    /// One line per event, `v2  p0 @3  2024-01-01T00:00:00Z  Withdrawn  {"balance":7}`, after
    /// `v0  initial …` (and `v2  snapshot …` for a snapshot's state); columns padded so the
    /// states line up, each state cut to the width left.
    private static func trace(_ entries: [KeyHistory.Entry], width: Int, snapshotTopic: String, in shell: Shell) -> [String] {
        let rows: [[String]?] = entries.map { entry in
            entry.step.map { step in [shell.time(step.timestamp), TerminalText.escape(step.eventType)] }.map { ["p\(entry.step!.partition) @\(entry.step!.offset)"] + $0 }
        }
        let versions = entries.map { "v\($0.version)".count }.max() ?? 2
        let places = (0..<3).map { column in rows.compactMap { $0?[column].count }.max() ?? 0 }
        func pad(_ text: String, _ to: Int) -> String { text + String(repeating: " ", count: max(0, to - text.count)) }
        // The initial state and a snapshot's have no event: their word spans the place, time and type columns.
        let snapshotWord = "snapshot in \(snapshotTopic)"
        let words = entries.map { $0.version == 0 ? "initial" : $0.step == nil ? snapshotWord : "" }
        let event = max(words.map(\.count).max() ?? 0, places.reduce(0, +) + 2 * (places.count - 1))
        return zip(entries, zip(rows, words)).map { entry, row in
            let middle = row.0.map { zip($0, places).map { pad($0, $1) }.joined(separator: "  ") } ?? row.1
            let head = pad("v\(entry.version)", versions) + "  " + pad(middle, event) + "  "
            return head + AggregateText.json(entry.state, width: max(12, width - head.count))
        }
    }

    /// Refuses an offset past the end of the key's partition: such a point is not in the log
    /// yet, and a number that large is more likely a time in epoch millis.
    private static func checkEnd(_ offset: Int64, partition: Int32, source: String, in shell: Shell) throws {
        let end = try shell.broker.offsets(source, partition: partition).logEndOffset
        guard offset >= end else { return }
        throw ShellError("--at \(offset) is past the end of the log: \(source) p\(partition), the key's partition, ends at \(end) (its next offset); give an offset below \(end), or a UTC time such as 2024-01-01T00:00:05Z")
    }

    /// The key's events keyed otherwise into partitions other than its own, which an offset of
    /// its partition does not order, in words: those the fold reads before `version` the state
    /// holds, the rest it leaves out. Nil when there are none.
    private static func unordered(_ steps: [AggregateTraceStep], partition: Int32, through version: Int, key: String, source: String) -> String? {
        let elsewhere = steps.filter { $0.partition != partition }
        guard !elsewhere.isEmpty else { return nil }
        func places(_ steps: [AggregateTraceStep]) -> String {
            let shown = steps.prefix(5).map { "p\($0.partition) @\($0.offset)" }.joined(separator: ", ")
            return (steps.count == 1 ? "the one at " : "the \(steps.count) at ") + shown + (steps.count > 5 ? ", …" : "")
        }
        let held = elsewhere.filter { $0.version <= version }
        let out = elsewhere.filter { $0.version > version }
        let what = [
            held.isEmpty ? nil : "holds \(places(held))",
            out.isEmpty ? nil : "leaves out \(places(out))",
        ].compactMap { $0 }.joined(separator: " and ")
        let count = elsewhere.count == 1 ? "1 of \(key)'s events is" : "\(elsewhere.count) of \(key)'s events are"
        return "\(count) in \(source) outside its partition p\(partition), published under another key, so offsets of p\(partition) do not order \(elsewhere.count == 1 ? "it" : "them"): the fold reads partitions in index order, so this state \(what); --at TIME orders them by time, --version N by fold order"
    }

    /// The key's events stamped at or before `time` that the fold reads after `first`, one stamped
    /// later (its partitions in index order, or a producer's own timestamps out of order), in
    /// words; nil when there are none.
    private static func stampedLater(
        _ steps: [AggregateTraceStep], before time: Int64, after first: KeyHistory.Entry, key: String, in shell: Shell
    ) -> String? {
        let early = steps.filter { $0.timestamp <= time }
        guard !early.isEmpty, let later = first.step else { return nil }
        let shown = early.prefix(5).map { "p\($0.partition) @\($0.offset)" }.joined(separator: ", ") + (early.count > 5 ? ", …" : "")
        let count = early.count == 1 ? "1 of \(key)'s events stamped at or before \(shell.time(time)) is" : "\(early.count) of \(key)'s events stamped at or before \(shell.time(time)) are"
        return "\(count) folded after p\(later.partition) @\(later.offset), stamped \(shell.time(later.timestamp)): the fold reads partitions in index order, so this state, the last whose events are all at or before the time, leaves out \(shown); --version N shows the versions after it"
    }

    private func noKey(_ slot: Flows.AggregateSlot, _ shown: String, in shell: Shell) -> ShellError {
        let keys = slot.states.keys.sorted().prefix(10).map { TerminalText.escape($0) }
        let known = keys.isEmpty ? "it holds no key yet" : "its keys include \(keys.joined(separator: ", "))"
        let waiting = AggregateText.waiting(slot, in: shell).map { "; \($0)" } ?? ""
        return ShellError("aggregate \(name) has no key \(shown): no event of \(slot.aggregate.source) it folded has that key (\(known))\(waiting)")
    }

    /// The point --at or --version names, nil for none.
    private func point(in shell: Shell) throws -> AggregatePoint? {
        if let version { return .version(try shell.number(version, for: "--version", atLeast: 0)) }
        guard let at else { return nil }
        if at.allSatisfy(\.isNumber) { return .offset(Int64(try shell.number(at, for: "--at"))) }
        guard !at.hasPrefix("-"), let time = TimeText.parseTime(at) else {
            throw ShellError("--at takes an offset (a whole number of 0 or more) or a UTC time such as 2024-01-01T00:00:05Z, not '\(at)'")
        }
        return .time(time)
    }
}
