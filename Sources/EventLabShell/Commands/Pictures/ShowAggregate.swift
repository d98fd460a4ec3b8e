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
        let aggregate = try shell.flows.aggregate(name).aggregate
        let steps = try aggregate.trace(key: key, in: shell.broker)
        let shown = TerminalText.escape(key)
        guard !steps.isEmpty else {
            throw ShellError("aggregate \(name) has no key \(shown): no event of \(aggregate.source) folds into it under the current rules")
        }
        let snapshot = Self.snapshot(of: key, for: aggregate, in: shell.broker)
        shell.say(AggregatePicture.render(aggregate, key: shown, steps: steps, snapshot: snapshot, width: shell.width).joined(separator: "\n"))
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
    static func render(_ aggregate: Aggregate, key: String, steps: [AggregateTraceStep], snapshot: AggregateSnapshot?, width: Int) -> [String] {
        let room = max(16, width - 6)
        var lines = ["aggregate \(aggregate.name) · key \(key) · \(steps.count) event\(steps.count == 1 ? "" : "s") of \(aggregate.source)"]
        lines.append("  ○ initial")
        lines.append("  │   " + AggregateText.json(aggregate.initial, width: room))
        let snapshotVersion = snapshot?.entry.version
        for step in steps {
            lines.append("  ● v\(step.version) \(TerminalText.escape(step.eventType))  (p\(step.partition) @\(step.offset))")
            let bar = step.version == steps.count ? " " : "│"
            lines.append("  \(bar)   " + AggregateText.json(step.state, width: room))
            if step.version == snapshotVersion, let snapshot {
                let at = snapshot.at.sorted { $0.key < $1.key }.map { "p\($0.key) @\($0.value)" }.joined(separator: ", ")
                lines.append("  \(bar) ◆ snapshot v\(step.version) in \(aggregate.snapshotTopic) (events before \(at) folded in)")
            }
        }
        if let snapshotVersion {
            let replayed = steps.count - snapshotVersion
            lines.append("a rebuild starts \(key) from its snapshot at v\(snapshotVersion) and replays \(replayed) event\(replayed == 1 ? "" : "s")")
        } else {
            lines.append("no snapshot of \(key) under these rules: a rebuild replays its \(steps.count) event\(steps.count == 1 ? "" : "s")")
        }
        return lines.map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
    }
}
