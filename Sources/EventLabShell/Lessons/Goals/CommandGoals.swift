import EventLabPatterns

/// Goals about a command of CQRS's write side: that it exists, and what its sends came to.
enum CommandGoals: GoalSubject {
    static let word = "command"
    static let name: GoalSlot? = GoalSlot("NAME", expects: "a command name, such as deposit") { word throws(GoalWordProblem) in word }

    static let forms: [GoalForm] = [
        GoalForm(flows: ["exists"], meaning: "The command exists: `send` can send it.", example: "command deposit exists") { goal, world in
            world.flows.commands[goal.name] == nil
                ? GoalResult(met: false, "command \(goal.name) does not exist")
                : GoalResult(met: true, "command \(goal.name) exists")
        },
        GoalForm(flows: ["absent"], meaning: "The command does not exist (never created, or deleted).", example: "command scratch absent") { goal, world in
            world.flows.commands[goal.name] == nil
                ? GoalResult(met: true, "command \(goal.name) does not exist")
                : GoalResult(met: false, "command \(goal.name) exists; the goal is that it does not")
        },
        sends("accepted", meaning: "How many sends of the command were accepted this session (their events appended), as `command describe` counts them.", example: "command deposit accepted >= 1") { $0.accepted },
        sends("rejected", meaning: "How many sends of the command were rejected this session (by a branch, or an expected version that moved on), nothing written, as `command describe` counts them.", example: "command withdraw rejected >= 1") { $0.rejected },
    ]

    /// The form `command NAME WORD OP N`, counting the sends `count` picks.
    private static func sends(_ word: String, meaning: String, example: String, _ count: @escaping @Sendable (CommandTotals) -> Int) -> GoalForm {
        GoalForm(flows: [.word(word), .op, .number], meaning: meaning, example: example) { goal, world in
            guard world.flows.commands[goal.name] != nil else {
                return GoalResult(met: false, GoalFacts.missing("command \(goal.name) does not exist", wants: GoalFacts.wanted(goal, "\(word) send")))
            }
            let sends = count(world.flows.commandTotals[goal.name] ?? CommandTotals())
            return goal.comparison.result(Int64(sends), goal.number, fact: "command \(goal.name) has \(GoalFacts.count(sends, "\(word) send"))")
        }
    }
}
