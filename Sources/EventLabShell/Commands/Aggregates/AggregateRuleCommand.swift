import EventLabCore
import EventLabPatterns

/// `aggregate NAME on TYPE … set …`, `aggregate NAME replace N on …`, `aggregate NAME remove N`.
struct AggregateRuleCommand: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "rule"], arguments: [ArgumentSpec("AGGREGATE", .aggregate), ArgumentSpec("RULE", .text, optional: true, variadic: true)],
        options: [],
        summary: "Give an aggregate a rule: `aggregate NAME on TYPE [when COND] set FIELD = EXPR, …`.",
        teaches: "A fold step: when an event of TYPE arrives (and CONDITION holds), set fields of its key's state, reading the event as `$` and the state before it as `state`. The state is nothing but these rules applied to the key's events in order. `aggregate NAME replace N on …` and `aggregate NAME remove N` change rule N; the others keep their numbers. A changed rule applies to the events folded from then on: the state then mixes old and new rules until `aggregate rebuild NAME` replays the log under the rules as they are. patterns/EXPRESSIONS.md describes the expressions.",
        examples: [
            "aggregate account on Deposited set balance = state.balance + $.amount",
            "aggregate account on Withdrawn when $.amount <= state.balance set balance = state.balance - $.amount",
            "aggregate account replace 2 on Withdrawn set balance = state.balance - $.amount, overdrawn = state.balance < $.amount",
            "aggregate account remove 2",
        ],
        takesText: true)

    let name: String
    let change: RuleEdit.Change

    init(_ words: Invocation) throws(ShellError) {
        (name, change) = try RuleEdit.parse(
            words, kind: "aggregate",
            usage: { name in "say `aggregate \(name) on TYPE set FIELD = EXPR`, `aggregate \(name) replace N on …` or `aggregate \(name) remove N`" },
            commands: AggregateCommands.commands, example: ("account", "Deposited set balance = state.balance + $.amount"))
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        let from = slot.states.isEmpty
            ? "\(name) holds no state yet, so all it folds follows the rules as they are"
            : "it applies to the events \(name) folds from now on; `aggregate rebuild \(name)` replays the whole log under the rules as they are"
        switch change {
        case .add(let number, let text):
            let rule = try RuleEdit.rule(text, AggregateRule.init)
            var added = 0
            try shell.changeFlows { flows in
                try flows.changeAggregate(name) { slot throws(AggregateError) in added = try slot.aggregate.add(rule, number: number) }
            }
            shell.say("rule \(added) added to aggregate \(name); \(from)")
        case .replace(let number, let text):
            let rule = try RuleEdit.rule(text, AggregateRule.init)
            try shell.changeFlows { flows in
                try flows.changeAggregate(name) { slot throws(AggregateError) in try slot.aggregate.replace(number, with: rule) }
            }
            shell.say("rule \(number) of aggregate \(name) replaced; \(from)")
        case .remove(let number):
            try shell.changeFlows { flows in
                try flows.changeAggregate(name) { slot throws(AggregateError) in try slot.aggregate.remove(number) }
            }
            shell.say("rule \(number) removed from aggregate \(name); the other rules keep their numbers; \(from)")
        }
    }
}
