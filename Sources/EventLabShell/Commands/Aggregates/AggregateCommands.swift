import EventLabCore
import EventLabPatterns

/// Aggregates: state per key folded from the events of a topic — event sourcing.
enum AggregateCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        AggregateCreate.self, AggregateRuleCommand.self, AggregateList.self, AggregateDescribe.self, AggregateRebuild.self,
        AggregateSnapshotCommand.self, AggregateAlter.self, AggregateDelete.self, StateCommand.self,
    ]

    static let completions = [
        Completion(.aggregate) { context in context.flows().aggregates.keys.sorted() },
        Completion(.aggregateKey) { context in
            guard let name = context.arguments.first, let slot = context.flows().aggregates[name] else { return [] }
            return slot.states.keys.sorted().map { TerminalText.escape($0) }.filter { !$0.isEmpty && !$0.contains(where: \.isWhitespace) }
        },
    ]

    static let bareNames = [
        BareName("aggregate", runs: AggregateRuleCommand.self, kinds: [.aggregate]) { _ in
            "to give an aggregate rules, say `aggregate NAME on TYPE set FIELD = EXPR`"
        },
    ]

    static let notes = [
        "aggregate": "Event sourcing: an aggregate's state is never stored, only derived from the log, the source of truth, by folding each key's events in order from its initial state. So it can be thrown away and rebuilt (`aggregate rebuild`), and read as it was at any point of its past (`state NAME KEY --at`). Snapshots (`aggregate snapshot`, --snapshot-every) are a cache of the fold in the compacted topic NAME-snapshots: a rebuild starts from them while the rules stay the same. Aggregates fold after every command while the flow is automatic, reading their topic like a table (no consumer group); a rule changed applies to the events folded after it, until a rebuild replays the whole log under the rules as they are. A workspace reopened folds every aggregate again under its rules as they are, from its snapshots made under the same rules: a state that mixed rules before comes back as the current rules make it.",
    ]
}

extension ValueKind {
    /// An aggregate's name.
    static let aggregate = ValueKind("aggregate", placeholder: "AGGREGATE")
    /// A key an aggregate holds state for.
    static let aggregateKey = ValueKind("aggregate key", placeholder: "KEY")
}

/// An aggregate name: a topic name's characters, for `NAME-snapshots` is a topic; not a word
/// `aggregate` takes as a subcommand.
enum AggregateName {
    static func check(_ name: String) throws(ShellError) {
        let words = AggregateCommands.commands.filter { $0.spec.path[0] == "aggregate" }.map { $0.spec.path[1] }
        if words.contains(name) {
            throw ShellError("an aggregate cannot be called '\(name)': `aggregate \(name)` is a command of its own; pick another name, such as \(name)s")
        }
        if let problem = FlowName.problem(name, naming: "an aggregate", example: ", as in account or cart") { throw ShellError(problem) }
        if let problem = FlowName.problem("\(name)-snapshots", naming: "an aggregate's snapshot topic") {
            throw ShellError("'\(name)' cannot name an aggregate: its snapshots go to the topic \(name)-snapshots, and \(problem)")
        }
    }
}
