import EventLabCore
import EventLabPatterns

/// A key's history as `state` and `show aggregate` read it: from its snapshot when retention
/// deleted what the snapshot holds, and what retention deleted said in words.
enum KeyHistory {
    /// The key's history; when retention deleted records, started from the key's snapshot if
    /// one holds all that was deleted.
    static func history(of key: String, in slot: Flows.AggregateSlot, shell: Shell) throws -> AggregateHistory {
        let aggregate = slot.aggregate
        let history = try aggregate.history(key: key, in: shell.broker)
        guard !history.logStarts.isEmpty else { return history }
        if let snapshot = ShowAggregate.snapshot(of: key, for: aggregate, in: shell.broker),
           history.logStarts.allSatisfy({ (snapshot.at[$0.key] ?? 0) >= $0.value }) {
            return try aggregate.history(key: key, from: snapshot, in: shell.broker)
        }
        return history
    }

    /// What retention deleted of the key's history, or nil when the log holds it whole.
    static func deleted(_ history: AggregateHistory, key: String, in slot: Flows.AggregateSlot, shell: Shell) -> String? {
        guard !history.logStarts.isEmpty else { return nil }
        let source = slot.aggregate.source
        let starts = history.logStarts.sorted { $0.key < $1.key }.map { "p\($0.key) @\($0.value)" }.joined(separator: ", ")
        if history.gone > 0 {
            return "retention deleted \(key)'s first \(history.gone) event\(history.gone == 1 ? "" : "s"): \(source)'s log starts at \(starts)"
        }
        // The aggregate folded the deleted events while they were there, under these rules.
        if history.snapshot == nil, let entry = slot.states[key], !slot.mixesRules, AggregateText.behind(slot, in: shell.broker) == 0,
           entry.version > history.steps.count {
            let missing = entry.version - history.steps.count
            return "retention deleted \(key)'s first \(missing) event\(missing == 1 ? "" : "s"), which aggregate \(slot.aggregate.name) folded before (its state is at version \(entry.version)): \(source)'s log starts at \(starts)"
        }
        return "retention deleted the records of \(source) before \(starts): \(key)'s events there, if any, are gone"
    }

    /// One point of a key's history: the initial state (version 0), a snapshot's (no step), or
    /// the state after an event.
    struct Entry {
        var version: Int
        var state: JSON
        var step: AggregateTraceStep?
        var offset: Int64?
    }

    /// The initial state (unless the key's first events are gone), the events inside the
    /// snapshot, the snapshot when its state is not the last one's, and the events after it.
    static func entries(_ history: AggregateHistory, initial: JSON) -> [Entry] {
        func entry(_ step: AggregateTraceStep) -> Entry { Entry(version: step.version, state: step.state, step: step, offset: step.offset) }
        var entries = [Entry(version: 0, state: initial, step: nil, offset: nil)]
        entries += history.before.map(entry)
        if let snapshot = history.snapshot, history.before.last.map({ $0.version != snapshot.entry.version || $0.state != snapshot.entry.state }) ?? true {
            entries.append(Entry(version: snapshot.entry.version, state: snapshot.entry.state, step: nil, offset: snapshot.entry.offset))
        }
        entries += history.after.map(entry)
        return entries
    }
}
