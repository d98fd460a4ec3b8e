import EventLabCore
import EventLabPatterns

/// Goals about a projection of CQRS's read side: that it exists, whether it runs, its lag and
/// its read model's rows.
enum ProjectionGoals: GoalSubject {
    static let word = "projection"
    static let name: GoalSlot? = GoalSlot("NAME", expects: "a projection name, such as balances") { word throws(GoalWordProblem) in word }

    static let forms: [GoalForm] = [
        GoalForm(flows: ["exists"], meaning: "The projection exists.", example: "projection balances exists") { goal, world in
            withProjection(goal.name, world, wants: nil) { _ in GoalResult(met: true, "projection \(goal.name) exists") }
        },
        GoalForm(flows: ["absent"], meaning: "The projection does not exist (never created, or deleted).", example: "projection scratch absent") { goal, world in
            world.flows.projections[goal.name] == nil
                ? GoalResult(met: true, "projection \(goal.name) does not exist")
                : GoalResult(met: false, "projection \(goal.name) exists; the goal is that it does not")
        },
        GoalForm(
            flows: ["state", .equality, .slot(.projectionState)],
            meaning: "Whether the projection runs, catching up after each command, or is paused (`projection pause`), its queries growing stale.",
            example: "projection balances state == paused"
        ) { goal, world in
            withProjection(goal.name, world, wants: "state \(goal.comparison.wanted(goal["STATE"]))") { slot in
                let state = slot.isRunning ? "running" : "paused"
                let fact = "projection \(goal.name) is \(state)"
                let met = (state == goal["STATE"]) == (goal.comparison == .equal)
                return met ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(goal.comparison.wanted(goal["STATE"]))")
            }
        },
        GoalForm(
            flows: ["lag", .op, .number],
            meaning: "How many events of its topics the read model has not applied yet: the consistency window a query answers from.",
            example: "projection balances lag == 0"
        ) { goal, world in
            withProjection(goal.name, world, wants: "lag \(goal.comparison.wanted(String(goal.number)))") { slot in
                do throws(BrokerError) {
                    let lag = try slot.readModel.lag(in: world.broker).reduce(Int64(0)) { $0 + $1.behind }
                    return goal.comparison.result(lag, goal.number, fact: "projection \(goal.name) has lag \(lag)")
                } catch {
                    return GoalResult(met: false, "projection \(goal.name) cannot read its lag: \(error.message)")
                }
            }
        },
        GoalForm(flows: ["rules", .op, .number], meaning: "How many rules the projection builds its read model with.", example: "projection balances rules >= 2") { goal, world in
            withProjection(goal.name, world, wants: GoalFacts.wanted(goal, "rule")) { slot in
                let count = slot.readModel.projection.rules.count
                return goal.comparison.result(Int64(count), goal.number, fact: "projection \(goal.name) has \(GoalFacts.count(count, "rule"))")
            }
        },
        GoalForm(flows: ["rows", .op, .number], meaning: "How many rows the read model holds now.", example: "projection balances rows == 2") { goal, world in
            withProjection(goal.name, world, wants: GoalFacts.wanted(goal, "row")) { slot in
                let count = slot.readModel.count
                return goal.comparison.result(Int64(count), goal.number, fact: "projection \(goal.name) has \(GoalFacts.count(count, "row"))")
            }
        },
        GoalForm(
            flows: ["key", .slot(.key), "count", .op, .number], meaning: "A row's count, kept by a `count by` rule (0 for a row it lacks).",
            example: "projection orders-per-customer key c-1 count == 2"
        ) { goal, world in
            withProjection(goal.name, world, wants: "count \(goal.comparison.wanted(String(goal.number))) for key \(goal["KEY"])") { slot in
                let count = slot.readModel.row(goal["KEY"])?.count ?? 0
                return goal.comparison.result(count, goal.number, fact: "projection \(goal.name) key \(goal["KEY"]) has count \(count)")
            }
        },
        GoalForm(
            flows: ["key", .slot(.key), "sum", .op, .number], meaning: "A row's sum, kept by a `sum by` rule (0 for a row it lacks).",
            example: "projection balances key a-1 sum >= 10"
        ) { goal, world in
            withProjection(goal.name, world, wants: "sum \(goal.comparison.wanted(String(goal.number))) for key \(goal["KEY"])") { slot in
                let sum = slot.readModel.row(goal["KEY"])?.sum ?? ExactNumber(0)
                let fact = "projection \(goal.name) key \(goal["KEY"]) has sum \(sum)"
                return goal.comparison.holds(sum, ExactNumber(goal.number))
                    ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(goal.comparison.wanted(String(goal.number)))")
            }
        },
        GoalForm(
            flows: ["key", .slot(.key), "field", .slot(.field), .op, .slot(.fieldValue)],
            meaning: "A field of a row a `put` rule wrote (dotted for a nested one); numbers compare as numbers, anything else as text.",
            example: "projection customers key c-1 field tier == gold"
        ) { goal, world in
            let wanted = "\(goal["FIELD"]) \(goal.comparison.wanted(goal["VALUE"])) for key \(goal["KEY"])"
            return withProjection(goal.name, world, wants: wanted) { slot in
                guard let value = slot.readModel.row(goal["KEY"])?.value else {
                    return GoalResult(met: false, "projection \(goal.name) has no row put for key \(goal["KEY"]); the goal is \(wanted)")
                }
                return GoalField.result(value, goal, owner: "projection \(goal.name) key \(goal["KEY"])")
            }
        },
    ]

    /// `body`'s result on projection `name`, or an unmet result saying it does not exist and
    /// what the goal `wants` (nil for a goal about the projection's existence).
    private static func withProjection(_ name: String, _ world: GoalWorld, wants: String?, _ body: (Flows.ProjectionSlot) -> GoalResult) -> GoalResult {
        guard let slot = world.flows.projections[name] else {
            return GoalResult(met: false, GoalFacts.missing("projection \(name) does not exist", wants: wants))
        }
        return body(slot)
    }
}

extension GoalSlot {
    /// A projection state: running or paused.
    static let projectionState = GoalSlot("STATE", expects: "a projection state: running or paused") { word throws(GoalWordProblem) in
        let states = ["running", "paused"]
        guard states.contains(word.lowercased()) else {
            throw GoalWordProblem("'\(word)' is not a projection state\(Goal.didYouMean(word, states)): write running or paused")
        }
        return word.lowercased()
    }
}
