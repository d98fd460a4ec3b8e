import EventLabCore
import EventLabPatterns

/// `show aggregate NAME KEY`.
struct ShowAggregate: ShellCommand {
    static let spec = CommandSpec(
        path: ["show", "aggregate"], arguments: [ArgumentSpec("AGGREGATE", .aggregate), ArgumentSpec("KEY", .aggregateKey)], options: [],
        summary: "Draw a key's fold: its events in order, the state after each, and the snapshot a rebuild starts from.",
        teaches: "The picture of event sourcing: a key's state is its initial state with its events applied one by one, each `●` an event from the log and each line under it the state it left. `◆` marks the newest snapshot made under the current rules: a rebuild starts the key there and replays only the events below it.",
        examples: ["show aggregate account a-1"])

    let name: String
    let key: String

    init(_ words: Invocation) {
        name = words.arguments[0]
        key = words.arguments[1]
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        let aggregate = slot.aggregate
        let snapshot = Self.snapshot(of: key, for: aggregate, in: shell.broker)
        let history = try aggregate.history(key: key, from: snapshot, in: shell.broker)
        let shown = TerminalText.escape(key)
        guard !history.steps.isEmpty || snapshot != nil else {
            throw ShellError("aggregate \(name) has no key \(shown): no event of \(aggregate.source) folds into it under the current rules")
        }
        let lost = KeyHistory.deleted(history, key: shown, in: slot, shell: shell)
        shell.say(AggregatePicture.render(aggregate, key: shown, history: history, deleted: lost, width: shell.width).joined(separator: "\n"))
    }

    /// The key's newest snapshot a rebuild would use: made under the current rules, in the topic's bounds.
    static func snapshot(of key: String, for aggregate: Aggregate, in broker: Broker) -> AggregateSnapshot? {
        guard let partitions = try? broker.describeTopic(aggregate.snapshotTopic).partitions,
              let ends = try? broker.describeTopic(aggregate.source).partitions
        else { return nil }
        var newest: AggregateSnapshot?
        for partition in partitions {
            var next = partition.logStartOffset
            while next < partition.logEndOffset, let records = try? broker.read(aggregate.snapshotTopic, partition: partition.index, from: next, maxRecords: 10_000),
                  let last = records.last {
                for record in records where record.key?.elementsEqual(key.utf8) == true {
                    newest = try? AggregateSnapshot.read(record, aggregate: aggregate.name).get()
                }
                next = last.offset + 1
            }
        }
        guard let newest, newest.fingerprint == aggregate.fingerprint,
              !newest.at.contains(where: { at in at.value > (ends.first { $0.index == at.key }?.logEndOffset ?? 0) })
        else { return nil }
        return newest
    }
}

/// A key's fold drawn top to bottom, one event per line and its state under it.
enum AggregatePicture {
    static func render(_ aggregate: Aggregate, key: String, history: AggregateHistory, deleted: String?, width: Int) -> [String] {
        let room = max(16, width - 6)
        let steps = history.steps
        let newest = steps.last?.version ?? history.snapshot?.entry.version ?? 0
        var lines = ["aggregate \(aggregate.name) · key \(key) · \(newest) event\(newest == 1 ? "" : "s") of \(aggregate.source)"]
        lines.append("  ○ initial")
        lines.append("  │   " + AggregateText.json(aggregate.initial, width: room))
        if let deleted { lines.append("  ┊ " + deleted) }
        // The line runs on below each state but the last.
        let bars = steps.indices.map { $0 == steps.count - 1 ? " " : "│" }
        func draw(_ drawn: ArraySlice<(AggregateTraceStep, String)>) {
            for (step, bar) in drawn {
                lines.append("  ● v\(step.version) \(TerminalText.escape(step.eventType))  (p\(step.partition) @\(step.offset))")
                lines.append("  \(bar)   " + AggregateText.json(step.state, width: room))
            }
        }
        let drawn = Array(zip(steps, bars))
        draw(drawn.prefix(history.before.count))
        if let snapshot = history.snapshot {
            let at = snapshot.at.sorted { $0.key < $1.key }.map { "p\($0.key) @\($0.value)" }.joined(separator: ", ")
            let bar = history.after.isEmpty ? " " : "│"
            lines.append("  \(bar) ◆ snapshot v\(snapshot.entry.version) in \(aggregate.snapshotTopic) (events before \(at) folded in)")
            // Its state is drawn when it is not the one above: the events before it were
            // deleted, or folded in another order than the partitions' here.
            if history.before.last?.state != snapshot.entry.state {
                lines.append("  \(bar)   " + AggregateText.json(snapshot.entry.state, width: room))
            }
            draw(drawn.dropFirst(history.before.count))
            let replayed = history.after.count
            lines.append("a rebuild starts \(key) from its snapshot at v\(snapshot.entry.version) and replays \(replayed) event\(replayed == 1 ? "" : "s")")
        } else {
            lines.append("no snapshot of \(key) under these rules: a rebuild replays its \(steps.count) event\(steps.count == 1 ? "" : "s")\(history.logStarts.isEmpty ? "" : " the log holds")")
        }
        return lines.map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
    }
}
