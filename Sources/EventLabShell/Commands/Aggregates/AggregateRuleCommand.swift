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

    enum Change {
        case add(number: Int?, rule: String)
        case replace(Int, rule: String)
        case remove(Int)
    }

    let name: String
    let change: Change

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        // What follows the name, as typed: expressions keep their quotes and spaces.
        let text = Words.text(of: words.text, after: 1).replacingOccurrences(of: "\n", with: " ")
        let rest = Array(words.arguments.dropFirst())
        if ["on", "rule", "replace", "remove"].contains(name) {
            throw ShellError("`aggregate \(name)` needs the aggregate's name first: say `aggregate NAME \(name) …`, e.g. `aggregate account \(name == "on" ? "on Deposited set balance = state.balance + $.amount" : name == "remove" ? "remove 2" : "\(name) 2 on …")`")
        }
        let usage = "say `aggregate \(name) on TYPE set FIELD = EXPR`, `aggregate \(name) replace N on …` or `aggregate \(name) remove N`"
        switch rest.first {
        case "on":
            change = .add(number: nil, rule: text)
        case "rule", "replace", "remove":
            guard rest.count >= 2, let number = Int(rest[1]), number > 0 else {
                throw ShellError("`\(rest[0])` needs a rule number after it, as `aggregate describe \(name)` lists them: \(usage)")
            }
            let rule = Words.text(of: text, after: 2)
            switch rest[0] {
            case "remove":
                guard rest.count == 2 else { throw ShellError("`aggregate \(name) remove \(number)` takes nothing more; to change the rule, say `aggregate \(name) replace \(number) on …`") }
                change = .remove(number)
            case "replace": change = .replace(number, rule: rule)
            default: change = .add(number: number, rule: rule)
            }
        case nil:
            let words = AggregateCommands.commands.filter { $0.spec.path[0] == "aggregate" }.map { $0.spec.path[1] }.filter { $0 != "rule" }
            let suggestion = CommandParser.suggestion(name, among: words)
            guard suggestion.isEmpty else { throw ShellError("'aggregate \(name)' is not a command\(suggestion); `help aggregate` lists what `aggregate` takes") }
            throw ShellError("`aggregate \(name)` needs a rule: \(usage)")
        case let other?:
            throw ShellError("'\(other)' after `aggregate \(name)` is not a rule: \(usage); `help aggregate` lists what `aggregate` takes")
        }
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.aggregate(name)
        let from = slot.states.isEmpty
            ? "\(name) holds no state yet, so all it folds follows the rules as they are"
            : "it applies to the events \(name) folds from now on; `aggregate rebuild \(name)` replays the whole log under the rules as they are"
        switch change {
        case .add(let number, let text):
            let rule = try Self.rule(text)
            var added = 0
            try shell.changeFlows { flows in
                try flows.changeAggregate(name) { slot throws(AggregateError) in added = try slot.aggregate.add(rule, number: number) }
            }
            shell.say("rule \(added) added to aggregate \(name); \(from)")
        case .replace(let number, let text):
            let rule = try Self.rule(text)
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

    /// Parses a rule, its error placed by column.
    private static func rule(_ text: String) throws -> AggregateRule {
        do throws(RuleSyntaxError) {
            return try AggregateRule(text)
        } catch {
            throw ShellError("the rule at column \(error.column): \(error.message)")
        }
    }
}
