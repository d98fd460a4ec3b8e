import EventLabCore
import EventLabPatterns

/// Goals about an aggregate: that it exists, its rules, and a key's version and state.
enum AggregateGoals: GoalSubject {
    static let word = "aggregate"
    static let name: GoalSlot? = GoalSlot("NAME", expects: "an aggregate name, such as accounts") { word throws(GoalWordProblem) in word }

    static let forms: [GoalForm] = [
        GoalForm(flows: ["exists"], meaning: "The aggregate exists.", example: "aggregate accounts exists") { goal, world in
            withAggregate(goal.name, world, wants: nil) { _ in GoalResult(met: true, "aggregate \(goal.name) exists") }
        },
        GoalForm(flows: ["absent"], meaning: "The aggregate does not exist (never created, or deleted).", example: "aggregate scratch absent") { goal, world in
            world.flows.aggregates[goal.name] == nil
                ? GoalResult(met: true, "aggregate \(goal.name) does not exist")
                : GoalResult(met: false, "aggregate \(goal.name) exists; the goal is that it does not")
        },
        GoalForm(flows: ["rules", .op, .number], meaning: "How many rules the aggregate folds its events with.", example: "aggregate accounts rules >= 2") { goal, world in
            withAggregate(goal.name, world, wants: GoalFacts.wanted(goal, "rule")) { slot in
                let count = slot.aggregate.rules.count
                return goal.comparison.result(Int64(count), goal.number, fact: "aggregate \(goal.name) has \(GoalFacts.count(count, "rule"))")
            }
        },
        GoalForm(flows: ["keys", .op, .number], meaning: "How many keys the aggregate has folded events for.", example: "aggregate accounts keys == 2") { goal, world in
            withAggregate(goal.name, world, wants: GoalFacts.wanted(goal, "key")) { slot in
                let count = slot.states.count
                return goal.comparison.result(Int64(count), goal.number, fact: "aggregate \(goal.name) has \(GoalFacts.count(count, "key"))")
            }
        },
        GoalForm(
            flows: ["key", .slot(.key), "version", .op, .number],
            meaning: "A key's version: how many of its events the aggregate has folded (0 before the first).",
            example: "aggregate accounts key a-1 version == 3"
        ) { goal, world in
            withAggregate(goal.name, world, wants: "version \(goal.comparison.wanted(String(goal.number))) for key \(goal["KEY"])") { slot in
                let version = slot.states[goal["KEY"]]?.version ?? 0
                return goal.comparison.result(Int64(version), goal.number, fact: "aggregate \(goal.name) key \(goal["KEY"]) is at version \(version)")
            }
        },
        GoalForm(
            flows: ["key", .slot(.key), "field", .slot(.field), .op, .slot(.fieldValue)],
            meaning: "A field of a key's state, as `state` shows it (the initial state before its first event; dotted for a nested field); numbers compare as numbers, anything else as text.",
            example: "aggregate accounts key a-1 field balance >= 10"
        ) { goal, world in
            let wanted = "\(goal["FIELD"]) \(goal.comparison.wanted(goal["VALUE"])) for key \(goal["KEY"])"
            return withAggregate(goal.name, world, wants: wanted) { slot in
                let state = slot.states[goal["KEY"]]?.state ?? slot.aggregate.initial
                return GoalField.result(state, goal, owner: "aggregate \(goal.name) key \(goal["KEY"])")
            }
        },
    ]

    /// `body`'s result on aggregate `name`, or an unmet result saying it does not exist and what
    /// the goal `wants` (nil for a goal about the aggregate's existence).
    private static func withAggregate(_ name: String, _ world: GoalWorld, wants: String?, _ body: (Flows.AggregateSlot) -> GoalResult) -> GoalResult {
        guard let slot = world.flows.aggregates[name] else {
            return GoalResult(met: false, GoalFacts.missing("aggregate \(name) does not exist", wants: wants))
        }
        return body(slot)
    }
}
