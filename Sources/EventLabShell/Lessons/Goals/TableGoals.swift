import EventLabCore
import EventLabPatterns

/// Goals about a table: that it exists, how far behind its topic it is, how many keys it
/// holds, and a key's value.
enum TableGoals: GoalSubject {
    static let word = "table"
    static let name: GoalSlot? = GoalSlot("NAME", expects: "a table name, such as customers") { word throws(GoalWordProblem) in word }

    static let forms: [GoalForm] = [
        GoalForm(flows: ["exists"], meaning: "The table exists.", example: "table customers exists") { goal, world in
            withTable(goal.name, world, wants: nil) { _ in GoalResult(met: true, "table \(goal.name) exists") }
        },
        GoalForm(flows: ["absent"], meaning: "The table does not exist (never created, or deleted).", example: "table scratch absent") { goal, world in
            world.flows.tables[goal.name] == nil
                ? GoalResult(met: true, "table \(goal.name) does not exist")
                : GoalResult(met: false, "table \(goal.name) exists; the goal is that it does not")
        },
        GoalForm(
            flows: ["keys", .op, .number], meaning: "How many keys the table holds now: a tombstone removes one.",
            example: "table customers keys == 2"
        ) { goal, world in
            withTable(goal.name, world, wants: GoalFacts.wanted(goal, "key")) { table in
                goal.comparison.result(Int64(table.count), goal.number, fact: "table \(goal.name) has \(GoalFacts.count(table.count, "key"))")
            }
        },
        GoalForm(
            flows: ["lag", .op, .number],
            meaning: "The records of its topic the table has not read yet, as `table list` shows under BEHIND: 0 once it has caught up with its topic (which says nothing of changes not yet published to it).",
            example: "table customers lag == 0"
        ) { goal, world in
            withTable(goal.name, world, wants: "lag \(goal.comparison.wanted(String(goal.number)))") { table in
                guard let staleness = try? table.staleness(in: world.broker) else {
                    return GoalResult(met: false, "table \(goal.name) cannot read its topic \(table.topic); the goal is lag \(goal.comparison.wanted(String(goal.number)))")
                }
                return goal.comparison.result(staleness.recordsBehind, goal.number, fact: "table \(goal.name) has lag \(staleness.recordsBehind)")
            }
        },
        GoalForm(flows: ["key", .slot(.key), "exists"], meaning: "The table holds this key.", example: "table customers key c-1 exists") { goal, world in
            withTable(goal.name, world, wants: "key \(goal["KEY"])") { table in
                table.get(goal["KEY"]) == nil
                    ? GoalResult(met: false, "table \(goal.name) has no key \(goal["KEY"]); the goal is that it has")
                    : GoalResult(met: true, "table \(goal.name) has key \(goal["KEY"])")
            }
        },
        GoalForm(
            flows: ["key", .slot(.key), "absent"], meaning: "The table does not hold this key (never set, or removed by a tombstone).",
            example: "table customers key c-9 absent"
        ) { goal, world in
            withTable(goal.name, world, wants: "no key \(goal["KEY"])") { table in
                table.get(goal["KEY"]) == nil
                    ? GoalResult(met: true, "table \(goal.name) has no key \(goal["KEY"])")
                    : GoalResult(met: false, "table \(goal.name) has key \(goal["KEY"]); the goal is that it has not")
            }
        },
        GoalForm(
            flows: ["key", .slot(.key), "field", .slot(.field), .op, .slot(.fieldValue)],
            meaning: "A field of the key's value, read as JSON (dotted for a nested one); numbers compare as numbers, anything else as text.",
            example: "table customers key c-1 field tier == gold"
        ) { goal, world in
            let wanted = "\(goal["FIELD"]) \(goal.comparison.wanted(goal["VALUE"])) for key \(goal["KEY"])"
            return withTable(goal.name, world, wants: wanted) { table in
                let owner = "table \(goal.name) key \(goal["KEY"])"
                guard let entry = table.get(goal["KEY"]) else {
                    return GoalResult(met: false, "table \(goal.name) has no key \(goal["KEY"]); the goal is \(wanted)")
                }
                guard let json = try? JSONParser.parse(entry.value) else {
                    return GoalResult(met: false, "\(owner) holds a value that is not JSON; the goal is \(wanted)")
                }
                return GoalField.result(json, goal, owner: owner)
            }
        },
    ]

    /// `body`'s result on table `name`, or an unmet result saying it does not exist and what
    /// the goal `wants` (nil for a goal about the table's existence).
    private static func withTable(_ name: String, _ world: GoalWorld, wants: String?, _ body: (EventLabPatterns.Table) -> GoalResult) -> GoalResult {
        guard let table = world.flows.tables[name] else {
            return GoalResult(met: false, GoalFacts.missing("table \(name) does not exist", wants: wants))
        }
        return body(table)
    }
}
