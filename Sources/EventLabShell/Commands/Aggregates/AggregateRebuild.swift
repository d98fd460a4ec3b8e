import EventLabCore
import EventLabPatterns

/// `aggregate rebuild NAME`.
struct AggregateRebuild: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "rebuild"], arguments: [ArgumentSpec("AGGREGATE", .aggregate)], options: [],
        summary: "Fold an aggregate's whole log again under its current rules, and show what changed.",
        teaches: "The log is the source of truth and the state only a derivation of it: replaying every event under the rules as they are now gives each key the state those rules mean, however the rules changed meanwhile — a fixed bug fixes the past too. With snapshots in NAME-snapshots made under the same rules, each key starts from its newest one and only the events after it are replayed; snapshots made under other rules are ignored, for they hold what other rules made of the events.",
        examples: ["aggregate rebuild account"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        let aggregate = slot.aggregate
        let broker = shell.broker
        let withSnapshots = (try? broker.describeTopic(aggregate.snapshotTopic)) != nil
        let (states, report) = withSnapshots
            ? try aggregate.rebuild(from: broker, snapshots: aggregate.snapshotTopic) : try aggregate.rebuild(from: broker)
        let logStarts = Dictionary(uniqueKeysWithValues: try broker.describeTopic(aggregate.source).partitions.map { ($0.index, $0.logStartOffset) })
        try shell.changeFlows { flows in
            try flows.changeAggregate(name) { slot in slot.take(states, readTo: report.readTo, logStarts: logStarts, report: report) }
        }
        let keys = "\(states.count) key\(states.count == 1 ? "" : "s")"
        let whole = "aggregate \(name) rebuilt under its current rules from the whole of \(aggregate.source): replayed \(report.eventsRead) event\(report.eventsRead == 1 ? "" : "s") into \(keys)"
        if let use = report.snapshots {
            if use.keysFromSnapshot > 0 {
                let total = use.recordsInTopic
                let started = use.keysFromSnapshot == states.count
                    ? (states.count == 1 ? "its key started from its snapshot" : "its \(keys) started from their snapshots")
                    : "\(use.keysFromSnapshot) of its \(keys) started from their snapshots"
                shell.say("aggregate \(name) rebuilt under its current rules: \(started) in \(aggregate.snapshotTopic), then replayed \(report.eventsRead) of the \(total) event\(total == 1 ? "" : "s") of \(aggregate.source) instead of all \(total)")
            } else {
                shell.say(whole)
            }
            let ignored = use.ignored.values.reduce(0, +)
            if ignored > 0 {
                let reasons = use.ignored.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                shell.say("ignored \(ignored) snapshot\(ignored == 1 ? "" : "s") in \(aggregate.snapshotTopic): \(reasons); a key without a usable snapshot was replayed from the start")
            }
        } else {
            shell.say(whole + " (no snapshots: `aggregate snapshot \(name)` makes some)")
        }
        let deleted = logStarts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "p\($0.key) @\($0.value)" }
        if !deleted.isEmpty {
            let kept = report.snapshots?.keysFromSnapshot ?? 0 > 0 ? " but what the snapshots hold" : ""
            shell.say("\(aggregate.source)'s log starts at \(deleted.joined(separator: ", ")): retention deleted the records before, so the states hold none of their events\(kept)")
        }
        var found = AggregateCatchUp()
        found.failures = report.failures
        found.keyedOtherwise = report.keyedOtherwise
        for warning in AggregateText.warnings(name, slot, found) { shell.warn(warning) }
        for line in Self.difference(before: slot.states, after: states, width: shell.width) { shell.say(line) }
    }

    /// Per key whose state changed, `  KEY: BEFORE → AFTER`; "no key changed" when none did.
    static func difference(before: [String: AggregateState], after: [String: AggregateState], width: Int) -> [String] {
        let keys = Set(before.keys).union(after.keys).filter { before[$0]?.state != after[$0]?.state }.sorted()
        guard !keys.isEmpty else { return ["no key changed"] }
        var lines = ["\(keys.count) key\(keys.count == 1 ? "" : "s") changed:"]
        for key in keys {
            let shown = TerminalText.escape(key)
            let room = max(12, (width - shown.count - 7) / 2)
            func text(_ entry: AggregateState?) -> String { entry.map { AggregateText.json($0.state, width: room) } ?? "(none)" }
            lines.append("  \(shown): \(text(before[key])) → \(text(after[key]))")
        }
        return lines
    }
}

/// `aggregate snapshot NAME`.
struct AggregateSnapshotCommand: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "snapshot"], arguments: [ArgumentSpec("AGGREGATE", .aggregate)], options: [],
        summary: "Publish every key's state to the compacted topic NAME-snapshots.",
        teaches: "A snapshot is a cache of a fold, not a source of truth: each key's state, version and the offsets it was folded up to, under a fingerprint of the rules. A rebuild starts each key from its newest snapshot and replays only the events after it — fast, and equal to replaying everything while the rules stay the same. The topic is compacted, so it keeps the newest snapshot per key; being records, snapshots survive restarts.",
        examples: ["aggregate snapshot account"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        let topic = slot.aggregate.snapshotTopic
        if slot.mixesRules {
            throw ShellError("aggregate \(name)'s states mix rules (rules or upcasters changed after it folded events), so a snapshot would hold states its rules do not give: `aggregate rebuild \(name)` first")
        }
        guard !slot.states.isEmpty else {
            throw ShellError("aggregate \(name) holds no key's state yet, so there is nothing to snapshot: publish events to \(slot.aggregate.source)\(slot.aggregate.rules.isEmpty ? " and give it a rule" : "")")
        }
        let (records, created) = try slot.publishSnapshot(to: shell.broker)
        try shell.changeFlows { flows in try flows.changeAggregate(name) { slot in slot.snapshotWritten() } }
        if created { shell.say("created \(topic) with cleanup.policy=compact: it keeps the newest snapshot per key") }
        let places = slot.positions.sorted { $0.key < $1.key }.map { "p\($0.key) @\($0.value)" }.joined(separator: ", ")
        shell.say("published \(records) snapshot\(records == 1 ? "" : "s") to \(topic): each key's state with the events before \(slot.aggregate.source) \(places) folded in, under rules fingerprint \(slot.aggregate.fingerprint); `aggregate rebuild \(name)` starts from them and replays only the events after")
    }
}
