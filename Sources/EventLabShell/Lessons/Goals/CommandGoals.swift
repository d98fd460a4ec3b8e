import EventLabPatterns

/// Goals about a command of CQRS's write side: that it exists.
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
    ]
}
