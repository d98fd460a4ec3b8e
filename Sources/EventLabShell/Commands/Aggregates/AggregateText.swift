import EventLabCore
import EventLabPatterns

/// How the shell words an aggregate's states and what its folds found.
enum AggregateText {
    /// Records of its topic it has not read yet; nil when the topic cannot be read.
    static func behind(_ slot: Flows.AggregateSlot, in broker: Broker) -> Int64? {
        guard let partitions = try? broker.describeTopic(slot.aggregate.source).partitions else { return nil }
        // An aggregate without rules reads nothing: it is behind by all it would read.
        return partitions.reduce(0) { $0 + $1.logEndOffset - max(slot.positions[$1.index] ?? 0, $1.logStartOffset) }
    }

    /// What an aggregate with rules has not read yet and why, when it is behind: in manual flow
    /// the records appended wait until `step` folds them.
    static func waiting(_ slot: Flows.AggregateSlot, in shell: Shell) -> String? {
        guard !slot.aggregate.rules.isEmpty, let behind = behind(slot, in: shell.broker), behind > 0 else { return nil }
        let them = behind == 1 ? "it" : "them"
        let why = shell.flows.mode == .manual ? "the flow is manual, so `step` folds \(them)" : "it reads \(them) after this command"
        return "aggregate \(slot.aggregate.name) has not read \(behind) record\(behind == 1 ? "" : "s") of \(slot.aggregate.source) yet: \(why)"
    }

    /// `aggregate account folded 2 events of accounts`, per aggregate a step made fold events.
    static func caughtUp(_ before: [String: Flows.AggregateSlot], _ after: [String: Flows.AggregateSlot]) -> [String] {
        after.keys.sorted().compactMap { name in
            guard let slot = after[name], let old = before[name] else { return nil }
            let count = slot.states.values.reduce(0) { $0 + $1.version } - old.states.values.reduce(0) { $0 + $1.version }
            guard count > 0 else { return nil }
            return "aggregate \(name) folded \(count) event\(count == 1 ? "" : "s") of \(slot.aggregate.source)"
        }
    }

    /// `folded 3 keys from bank read up to p0 @4, p1 @1 (up to date)`: by the offsets of the
    /// records folded, as `@N` names a record everywhere, not by the positions to read next.
    static func folded(_ slot: Flows.AggregateSlot, in broker: Broker) -> String {
        let keys = "\(slot.states.count) key\(slot.states.count == 1 ? "" : "s")"
        guard slot.hasRead else {
            return slot.aggregate.rules.isEmpty ? "folded nothing yet: it reads \(slot.aggregate.source) once it has a rule" : "folded nothing yet"
        }
        let places = FoldPositions.lastRead(slot.positions)
        let lag = behind(slot, in: broker).map { $0 == 0 ? "up to date" : "\($0) behind" } ?? "its topic cannot be read"
        return "folded \(keys) from \(slot.aggregate.source) read up to \(places) (\(lag))"
    }

    /// A state as compact JSON, cut to `width` characters with `…` when longer.
    static func json(_ state: JSON, width: Int) -> String {
        let text = TerminalText.escape(state.description)
        guard text.count > width else { return text }
        return String(text.prefix(max(1, width - 1))) + "…"
    }

    /// The warnings a catch-up's findings give, each saying what to do.
    static func warnings(_ name: String, _ slot: Flows.AggregateSlot?, _ found: AggregateCatchUp) -> [String] {
        let topic = slot?.aggregate.source ?? "its topic"
        var lines: [String] = []
        if let problem = found.problem { lines.append("aggregate \(name) \(problem)") }
        for failure in found.failures {
            let fix = failure.failure.fix(name)
            lines.append("aggregate \(name) could not fold \(topic) p\(failure.partition) @\(failure.offset): \(failure.failure); that key's state stays as it was and \(name) goes on; \(fix)")
        }
        if found.keyedOtherwise > 0 {
            let key = slot?.aggregate.key.source ?? "the aggregate key"
            lines.append("aggregate \(name) folded \(found.keyedOtherwise) event\(found.keyedOtherwise == 1 ? "" : "s") whose record key is not the aggregate key \(key): a key's events may then lie in several partitions, whose order against each other is lost; publish each with its aggregate key, the value of \(key), as its record key")
        }
        if let folded = found.snapshotRefused, let every = slot?.snapshotEvery {
            lines.append("aggregate \(name) wrote no snapshot after \(folded) event\(folded == 1 ? "" : "s") folded (--snapshot-every \(every)): its states mix rules (rules or upcasters changed after it folded events), so a snapshot would hold states its rules do not give; `aggregate rebuild \(name)` folds them under the rules as they are, and snapshots go on")
        }
        if found.deletedFolded > 0 {
            lines.append("retention deleted \(found.deletedFolded) event\(found.deletedFolded == 1 ? "" : "s") of \(topic) that aggregate \(name) had folded: its history is now incomplete, and a rebuild from the log alone would give a different state; keep events with `topic alter \(topic) --retention forever`")
        }
        if found.deletedUnread > 0 {
            lines.append("retention deleted \(found.deletedUnread) event\(found.deletedUnread == 1 ? "" : "s") of \(topic) before aggregate \(name) read them: its history is incomplete, its states miss them; keep events with `topic alter \(topic) --retention forever`")
        }
        return lines
    }
}
