import EventLabCore

/// Goals about a consumer group: its state, members, committed offsets and lag.
enum GroupGoals: GoalSubject {
    static let word = "group"
    static let name: GoalSlot? = GoalSlot("NAME", expects: "a group name, such as billing") { word throws(GoalWordProblem) in word }

    static let forms: [GoalForm] = [
        GoalForm(["exists"], meaning: "The group exists: it has members, or committed offsets.", example: "group billing exists") { goal, broker in
            GoalFacts.withGroup(goal.name, broker, wants: nil) { _ in GoalResult(met: true, "group \(goal.name) exists") }
        },
        GoalForm(["absent"], meaning: "The group does not exist (never used, or its offsets expired).", example: "group billing absent") { goal, broker in
            (try? broker.describeGroup(goal.name)) == nil
                ? GoalResult(met: true, "group \(goal.name) does not exist")
                : GoalResult(met: false, "group \(goal.name) exists; the goal is that it does not")
        },
        GoalForm(
            ["state", .equality, .slot(.groupState)],
            meaning: "Where the group is in Kafka's state machine: Empty (no members), PreparingRebalance, CompletingRebalance or Stable.",
            example: "group billing state == Stable"
        ) { goal, broker in
            GoalFacts.withGroup(goal.name, broker, wants: "state \(goal.comparison.wanted(goal["STATE"]))") { group in
                let fact = "group \(goal.name) is \(group.state.rawValue)"
                let met = (group.state.rawValue == goal["STATE"]) == (goal.comparison == .equal)
                return met ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(goal.comparison.wanted(goal["STATE"]))")
            }
        },
        GoalForm(["members", .op, .number], meaning: "How many members the group has now.", example: "group billing members == 2") { goal, broker in
            GoalFacts.withGroup(goal.name, broker, wants: GoalFacts.wanted(goal, "member")) { group in
                goal.comparison.result(Int64(group.members.count), goal.number, fact: "group \(goal.name) has \(GoalFacts.count(group.members.count, "member"))")
            }
        },
        GoalForm(
            ["idle", "members", .op, .number],
            meaning: "How many members were assigned no partition: a group has one when its members outnumber the partitions.",
            example: "group billing idle members == 1"
        ) { goal, broker in
            GoalFacts.withGroup(goal.name, broker, wants: GoalFacts.wanted(goal, "idle member")) { group in
                let idle = group.members.filter { $0.assignment.isEmpty }.count
                let assigned = group.members.reduce(0) { $0 + $1.assignment.count }
                let fact = "group \(goal.name) has \(GoalFacts.count(idle, "idle member")) (\(GoalFacts.count(group.members.count, "member")), \(GoalFacts.count(assigned, "partition")) assigned)"
                return goal.comparison.result(Int64(idle), goal.number, fact: fact)
            }
        },
        GoalForm(
            ["lag", .op, .number], meaning: "The group's total lag: over the partitions it committed on, log-end offset minus committed offset.",
            example: "group billing lag == 0"
        ) { goal, broker in
            lag(goal, broker, on: nil, nil)
        },
        GoalForm(
            ["lag", "on", .slot(.topic), .op, .number], meaning: "The group's lag on one topic's partitions.",
            example: "group billing lag on orders == 0"
        ) { goal, broker in
            lag(goal, broker, on: goal["TOPIC"], nil)
        },
        GoalForm(
            ["lag", "on", .slot(.topic), .partition, .op, .number], meaning: "The group's lag on one partition.",
            example: "group billing lag on orders p0 > 0"
        ) { goal, broker in
            lag(goal, broker, on: goal["TOPIC"], goal.partition)
        },
        GoalForm(
            ["offset", "on", .slot(.topic), .partition, .op, .number],
            meaning: "The group's committed offset on one partition: the next offset it will read there.",
            example: "group billing offset on orders p0 == 0"
        ) { goal, broker in
            let place = "\(goal["TOPIC"]) p\(goal.partition)"
            return GoalFacts.withGroup(goal.name, broker, wants: "committed offset \(goal.comparison.wanted(String(goal.number))) on \(place)") { group in
                guard let offset = broker.committedOffsets(groupId: goal.name)[TopicPartition(goal["TOPIC"], goal.partition)]?.offset else {
                    return GoalResult(met: false, "group \(goal.name) has no committed offset on \(place); the goal is \(goal.comparison.wanted(String(goal.number)))")
                }
                return goal.comparison.result(offset, goal.number, fact: "group \(goal.name) has committed offset \(offset) on \(place)")
            }
        },
    ]

    /// The lag of the group on the partitions it committed on: all of them, one topic's, or one
    /// partition. A group with no commits there has no lag to compare, which is not "lag 0".
    private static func lag(_ goal: GoalArguments, _ broker: Broker, on topic: String?, _ partition: Int32?) -> GoalResult {
        let place = topic.map { name in " on \(name)\(partition.map { " p\($0)" } ?? "")" } ?? ""
        return GoalFacts.withGroup(goal.name, broker, wants: "lag \(goal.comparison.wanted(String(goal.number)))\(place)") { group in
            let committed = group.partitions.filter { lag in
                lag.committedOffset != nil && topic.map { lag.topicPartition.topic == $0 } != false
                    && partition.map { lag.topicPartition.partition == $0 } != false
            }
            guard !committed.isEmpty else {
                return GoalResult(met: false, "group \(goal.name) has committed no offsets\(place) yet; the goal is lag \(goal.comparison.wanted(String(goal.number)))")
            }
            let lag = committed.reduce(Int64(0)) { $0.addingSaturating($1.lag ?? 0) }
            return goal.comparison.result(lag, goal.number, fact: "group \(goal.name) has lag \(lag)\(place)")
        }
    }
}

extension GoalSlot {
    /// A group state, as Kafka names it; any case is read.
    static let groupState = GoalSlot("STATE", expects: "a group state: Empty, PreparingRebalance, CompletingRebalance or Stable") { word throws(GoalWordProblem) in
        let states: [ConsumerGroup.State] = [.empty, .preparingRebalance, .completingRebalance, .stable]
        guard let state = states.first(where: { $0.rawValue.lowercased() == word.lowercased() }) else {
            let names = states.map(\.rawValue)
            throw GoalWordProblem("'\(word)' is not a group state\(Goal.didYouMean(word, names)): write \(Goal.list(names, or: true))")
        }
        return state.rawValue
    }
}
