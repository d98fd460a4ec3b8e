import EventLabCore
import EventLabPatterns

/// `aggregate alter NAME --snapshot-every N`.
struct AggregateAlter: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "alter"], arguments: [ArgumentSpec("AGGREGATE", .aggregate)],
        options: [
            OptionSpec("--snapshot-every", .number, help: "publish every key's state to the compacted topic NAME-snapshots after each N events folded; 0 turns that off"),
        ],
        summary: "Change how often an aggregate publishes snapshots as it folds.",
        teaches: "Snapshots are a cache of the fold, so turning them on, changing how often or turning them off changes no state, only how much a rebuild or a reopened workspace replays. Change them here rather than deleting and creating the aggregate again: a new aggregate given its rules one by one while it folds holds states that mix rules, which it never snapshots until `aggregate rebuild`. `flow export` keeps the setting in the aggregate's create line.",
        examples: ["aggregate alter account --snapshot-every 100", "aggregate alter account --snapshot-every 0"])

    let name: String
    let snapshotEvery: String

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        guard let every = words.value("--snapshot-every") else {
            throw ShellError("`aggregate alter` needs --snapshot-every N: how many events folded between snapshots, or 0 for none, e.g. `aggregate alter \(name) --snapshot-every 100`")
        }
        snapshotEvery = every
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        let number = try shell.number(snapshotEvery, for: "--snapshot-every", atLeast: 0)
        let every = number == 0 ? nil : number
        let topic = slot.aggregate.snapshotTopic
        guard every != slot.snapshotEvery else {
            throw ShellError("nothing to change: aggregate \(name) already " + (every.map { "publishes every key's state to \(topic) after \(AggregateSnapshotSchedule.each($0))" }
                ?? "publishes no snapshots by itself; give --snapshot-every N of 1 or more to turn them on"))
        }
        try shell.changeFlows { flows in try flows.changeAggregate(name) { slot in slot.snapshotEvery = every } }
        let altered = try shell.flows.aggregate(name)
        if every == nil {
            shell.say("aggregate \(name) publishes no snapshots by itself now; `aggregate snapshot \(name)` still does, and \(topic) keeps those written")
        } else {
            shell.say("aggregate \(name) publishes every key's state to \(topic) after \(AggregateSnapshotSchedule.each(number))")
        }
        if let snapshots = altered.snapshots.describe(topic: topic, source: altered.aggregate.source) { shell.say("  " + snapshots) }
        if let refused = altered.snapshots.mixedRules(name, mixesRules: altered.mixesRules) { shell.say("  " + refused) }
    }
}
