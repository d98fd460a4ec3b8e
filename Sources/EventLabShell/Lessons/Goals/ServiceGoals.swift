import EventLabCore
import EventLabPatterns

/// Goals about a service: that it exists, its state, its lag and what it emitted.
enum ServiceGoals: GoalSubject {
    static let word = "service"
    static let name: GoalSlot? = GoalSlot("NAME", expects: "a service name, such as billing") { word throws(GoalWordProblem) in word }

    static let forms: [GoalForm] = [
        GoalForm(flows: ["exists"], meaning: "The service exists.", example: "service billing exists") { goal, world in
            withService(goal.name, world, wants: nil) { _ in GoalResult(met: true, "service \(goal.name) exists") }
        },
        GoalForm(flows: ["absent"], meaning: "The service does not exist (never created, or deleted).", example: "service scratch absent") { goal, world in
            world.flows.services[goal.name] == nil
                ? GoalResult(met: true, "service \(goal.name) does not exist")
                : GoalResult(met: false, "service \(goal.name) exists; the goal is that it does not")
        },
        GoalForm(
            flows: ["state", .equality, .slot(.serviceState)],
            meaning: "Where the service stands, as `service list` shows it: running, stopped (by hand), poisoned (on a record it cannot handle), waiting (on a failed call) or crashed.",
            example: "service billing state == running"
        ) { goal, world in
            withService(goal.name, world, wants: "state \(goal.comparison.wanted(goal["STATE"]))") { slot in
                let state = ServiceState.word(slot)
                let fact = "service \(goal.name) is \(state)"
                let met = (state == goal["STATE"]) == (goal.comparison == .equal)
                return met ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(goal.comparison.wanted(goal["STATE"]))")
            }
        },
        GoalForm(
            flows: ["lag", .op, .number],
            meaning: "The records the service has yet to read, summed over the topics it reads, as `service list` shows it.",
            example: "service billing lag == 0"
        ) { goal, world in
            withService(goal.name, world, wants: "lag \(goal.comparison.wanted(String(goal.number)))") { slot in
                let lag = ServiceState.lag(slot.service, in: world.broker)
                return goal.comparison.result(lag, goal.number, fact: "service \(goal.name) has lag \(lag)")
            }
        },
        GoalForm(
            flows: ["emitted", .op, .number],
            meaning: "How many records the service's rules have emitted this session, as `service describe` counts them.",
            example: "service billing emitted >= 1"
        ) { goal, world in
            withService(goal.name, world, wants: GoalFacts.wanted(goal, "emitted record")) { slot in
                let emitted = slot.totals.emitted
                return goal.comparison.result(Int64(emitted), goal.number, fact: "service \(goal.name) has emitted \(GoalFacts.count(emitted, "record"))")
            }
        },
    ]

    /// `body`'s result on service `name`, or an unmet result saying it does not exist and what
    /// the goal `wants` (nil for a goal about the service's existence).
    private static func withService(_ name: String, _ world: GoalWorld, wants: String?, _ body: (Flows.ServiceSlot) -> GoalResult) -> GoalResult {
        guard let slot = world.flows.services[name] else {
            return GoalResult(met: false, GoalFacts.missing("service \(name) does not exist", wants: wants))
        }
        return body(slot)
    }
}

extension GoalSlot {
    /// A service state, as `service list` shows it.
    static let serviceState = GoalSlot("STATE", expects: "a service state: running, stopped, poisoned, waiting or crashed") { word throws(GoalWordProblem) in
        let states = ["running", "stopped", "poisoned", "waiting", "crashed"]
        guard states.contains(word.lowercased()) else {
            throw GoalWordProblem("'\(word)' is not a service state\(Goal.didYouMean(word, states)): write \(Goal.list(states, or: true))")
        }
        return word.lowercased()
    }
}
