import EventLabCore
import EventLabPatterns

/// `aggregate list`.
struct AggregateList: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "list"], arguments: [], options: [],
        summary: "List the aggregates: their topics, keys, rules and events behind.",
        teaches: "Each aggregate is a fold of one topic: KEYS counts the keys it holds state for, EVENTS the events it has folded into them, BEHIND the records of its topic it has not read yet.",
        examples: ["aggregate list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let slots = shell.flows.aggregates.keys.sorted().map { shell.flows.aggregates[$0]! }
        guard !slots.isEmpty else { return shell.say("no aggregates yet: `aggregate create NAME --from TOPIC --key EXPR` creates one") }
        let rows = slots.map { slot in
            [slot.aggregate.name, slot.aggregate.source, slot.aggregate.key.source, String(slot.states.count),
             String(slot.states.values.reduce(0) { $0 + $1.version }), String(slot.aggregate.rules.count),
             AggregateText.behind(slot, in: shell.broker).map(String.init) ?? "?"]
        }
        shell.say(Table.render(header: ["AGGREGATE", "TOPIC", "KEY", "KEYS", "EVENTS", "RULES", "BEHIND"], rows: rows))
        for slot in slots { if let waiting = AggregateText.waiting(slot, in: shell) { shell.say(waiting) } }
    }
}

/// `aggregate describe NAME`.
struct AggregateDescribe: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "describe"], arguments: [ArgumentSpec("AGGREGATE", .aggregate)], options: [],
        summary: "Show an aggregate's rules, numbered, and how far it has folded its topic.",
        teaches: "The rules are the whole definition of the state: the fingerprint hashes them, and a snapshot is reused only while it stays the same, for a state folded under other rules is not the state these rules give.",
        examples: ["aggregate describe account"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        for line in slot.aggregate.describe() { shell.say(line) }
        if let snapshots = slot.snapshots.describe(topic: slot.aggregate.snapshotTopic, source: slot.aggregate.source) {
            shell.say("  " + snapshots)
        }
        shell.say("  " + AggregateText.folded(slot, in: shell.broker))
        if let waiting = AggregateText.waiting(slot, in: shell) { shell.say("  " + waiting) }
        if slot.mixesRules {
            shell.say("  its states mix rules: rules or upcasters changed after it folded events; `aggregate rebuild \(name)` replays the log under the rules as they are")
        }
        if let refused = slot.snapshots.mixedRules(name, mixesRules: slot.mixesRules) { shell.say("  " + refused) }
    }
}

/// `aggregate delete NAME`.
struct AggregateDelete: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "delete"], arguments: [ArgumentSpec("AGGREGATE", .aggregate)], options: [],
        summary: "Delete an aggregate; its topic keeps the events to fold it again.",
        teaches: "An aggregate owns no data: its state is derived from the log, the source of truth, so deleting it loses nothing the events do not hold. Its snapshot topic stays too, for the same rules to start from.",
        examples: ["aggregate delete account"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let aggregate = try shell.flows.aggregate(name).aggregate
        try shell.changeFlows { try $0.removeAggregate(name) }
        let snapshots = (try? shell.broker.describeTopic(aggregate.snapshotTopic)) != nil ? ", and \(aggregate.snapshotTopic) its snapshots" : ""
        shell.say("aggregate \(name) deleted; \(aggregate.source) keeps the events to fold it again\(snapshots)")
    }
}
