import EventLabPatterns

/// Goals about the flow as a whole: how services read (after each command or on `step`), and
/// the upcasters every reader reads events through. There is one flow, so it takes no name.
enum FlowGoals: GoalSubject {
    static let word = "flow"
    static let name: GoalSlot? = nil

    static let forms: [GoalForm] = [
        GoalForm(
            flows: ["mode", .equality, .slot(.flowMode)],
            meaning: "How services read: auto after each command, or manual, only on `step` (`flow manual`, `flow auto`).",
            example: "flow mode == manual"
        ) { goal, world in
            let mode = world.flows.mode.rawValue
            let fact = "flow mode is \(mode)"
            let met = (mode == goal["MODE"]) == (goal.comparison == .equal)
            return met ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(goal.comparison.wanted(goal["MODE"]))")
        },
        GoalForm(
            flows: ["upcasters", .op, .number],
            meaning: "How many upcasters are in force, each rewriting old events as every service, aggregate and projection reads them.",
            example: "flow upcasters >= 1"
        ) { goal, world in
            let count = world.flows.upcasters.all.count
            return goal.comparison.result(Int64(count), goal.number, fact: "flow has \(GoalFacts.count(count, "upcaster"))")
        },
    ]
}

extension GoalSlot {
    /// A flow mode: auto or manual.
    static let flowMode = GoalSlot("MODE", expects: "a flow mode: auto or manual") { word throws(GoalWordProblem) in
        guard let mode = Flows.Mode(rawValue: word.lowercased()) else {
            throw GoalWordProblem("'\(word)' is not a flow mode\(Goal.didYouMean(word, ["auto", "manual"])): write auto or manual")
        }
        return mode.rawValue
    }
}
