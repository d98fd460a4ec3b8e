import EventLabCore
import EventLabPatterns

/// `projection NAME on TYPE [when C] put|delete|count by|sum by …`, `projection NAME replace N on …`,
/// `projection NAME remove N`.
struct ProjectionRuleCommand: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "rule"], arguments: [ArgumentSpec("PROJECTION", .projection), ArgumentSpec("RULE", .text, optional: true, variadic: true)],
        options: [],
        summary: "Give a projection a rule: `projection NAME on TYPE [when COND] put KEY = VALUE`, `delete KEY`, `count by GROUP` or `sum AMOUNT by GROUP`.",
        teaches: "A projection's rules say how each event changes the read model: `put` keeps the latest value per key, `delete` removes a key's row, `count by` and `sum … by` keep running totals per group. `projection NAME replace N on …` and `projection NAME remove N` change rule N; the others keep their numbers. A rule applies from the projection's position on: the rows the old rules built stay until `projection rebuild NAME` replays the log under the rules as they are now. patterns/EXPRESSIONS.md describes the expressions.",
        examples: [
            "projection balances on Opened put $.account = 0",
            "projection balances on Deposited sum $.amount by $.account",
            "projection balances on Closed delete $.account",
            "projection order-stats on OrderPlaced when $.total > 100 count by $.customer",
            "projection balances replace 2 on Deposited sum $.amount by $.account",
            "projection balances remove 3",
        ],
        takesText: true)

    let name: String
    let change: RuleEdit.Change

    init(_ words: Invocation) throws(ShellError) {
        (name, change) = try RuleEdit.parse(
            words, kind: "projection",
            usage: { name in "say `projection \(name) on TYPE put KEY = VALUE` (or delete KEY, count by GROUP, sum AMOUNT by GROUP), `projection \(name) replace N on …` or `projection \(name) remove N`" },
            commands: ProjectionCommands.commands)
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.projection(name)
        switch change {
        case .add(let number, let text):
            let rule = try RuleEdit.rule(text, ProjectionRule.init)
            var added = 0
            try shell.changeFlows { flows in
                try flows.changeProjection(name) { slot throws(ProjectionError) in added = try slot.projection.add(rule, number: number) }
            }
            shell.say("rule \(added) added to projection \(name); \(Self.applies(slot, in: shell))")
        case .replace(let number, let text):
            let rule = try RuleEdit.rule(text, ProjectionRule.init)
            try shell.changeFlows { flows in
                try flows.changeProjection(name) { slot throws(ProjectionError) in try slot.projection.replace(number, with: rule) }
            }
            shell.say("rule \(number) of projection \(name) replaced; \(Self.applies(slot, in: shell))")
        case .remove(let number):
            try shell.changeFlows { flows in
                try flows.changeProjection(name) { slot throws(ProjectionError) in try slot.projection.remove(number) }
            }
            shell.say("rule \(number) removed from projection \(name); the other rules keep their numbers; \(Self.applies(slot, in: shell))")
        }
    }

    /// From where the rules as they are now apply, and what stays of the old ones' work.
    private static func applies(_ slot: Flows.ProjectionSlot, in shell: Shell) -> String {
        let model = slot.readModel
        let positions = model.positions
        // Positions at the start of empty partitions hold no old rules' work: every record it
        // reads will meet the rules as they are now.
        let read = model.applied + model.skipped.values.reduce(0, +) + model.failed
        guard !positions.isEmpty, read > 0 else { return "it applies from the log start: \(slot.projection.name) has read nothing yet" }
        let name = slot.projection.name
        return "it applies from its position (\(ProjectionText.positions(positions))); the read model keeps what the old rules built until `projection rebuild \(name)` replays the log under the rules as they are now"
    }
}
