import EventLabCore

/// Goals about one broker of the cluster: whether it is up, and how it went down.
enum BrokerGoals: GoalSubject {
    static let word = "broker"
    static let name: GoalSlot? = GoalSlot.brokerId

    static let forms: [GoalForm] = [
        GoalForm(
            ["state", .equality, .slot(.brokerState)],
            meaning: "Whether the broker runs, as `show cluster` shows it: up, paused (`broker pause`), stopped (`broker stop`), killed (`broker kill`) or powered-off (`broker kill --power`).",
            example: "broker 3 state == killed"
        ) { goal, broker in
            guard let id = Int32(goal.name), let found = broker.cluster().brokers.first(where: { $0.id == id }) else {
                return GoalResult(met: false, GoalFacts.missing("broker \(goal.name) does not exist", wants: "state \(goal.comparison.wanted(goal["STATE"]))"))
            }
            let state = brokerState(found.condition)
            return ClusterGoals.equality(goal, state == goal["STATE"], fact: "broker \(goal.name) is \(state)", wanted: goal["STATE"])
        },
    ]

    /// A broker's condition as a goal spells it: `show cluster`'s word, one word (`powered-off`).
    static func brokerState(_ condition: BrokerCondition) -> String {
        condition == .running ? "up" : condition.rawValue.replacingOccurrences(of: " ", with: "-")
    }

    /// The words a broker state goal takes.
    static let states = ["up", "paused", "stopped", "killed", "powered-off"]
}

/// Goals about the cluster as a whole, as `show cluster` shows it: its controller, and the
/// partitions that are under-replicated or offline. There is one cluster, so it takes no name.
enum ClusterGoals: GoalSubject {
    static let word = "cluster"
    static let name: GoalSlot? = nil

    static let forms: [GoalForm] = [
        GoalForm(
            ["controller", .equality, .slot(.brokerOrNone)],
            meaning: "The broker that is the controller, electing leaders: the lowest live id here; none while every broker is down.",
            example: "cluster controller == 2"
        ) { goal, broker in
            let controller = broker.cluster().controller
            let fact = controller.map { "cluster controller is broker \($0)" } ?? "cluster has no controller: no broker is up"
            let actual = controller.map(String.init) ?? "none"
            return equality(goal, actual == goal["BROKER"], fact: fact, wanted: goal["BROKER"] == "none" ? "no controller" : "broker \(goal["BROKER"])")
        },
        GoalForm(
            ["under-replicated", .op, .number],
            meaning: "How many partitions have fewer in-sync replicas than replicas (a leader, but not every copy in sync).",
            example: "cluster under-replicated >= 1"
        ) { goal, broker in
            let count = broker.cluster().underReplicated.count
            return goal.comparison.result(Int64(count), goal.number, fact: "cluster has \(GoalFacts.count(count, "under-replicated partition"))")
        },
        GoalForm(
            ["offline", .op, .number],
            meaning: "How many partitions have no leader: no in-sync replica is up, so nobody reads or writes them.",
            example: "cluster offline > 0"
        ) { goal, broker in
            let count = broker.cluster().offline.count
            return goal.comparison.result(Int64(count), goal.number, fact: "cluster has \(GoalFacts.count(count, "offline partition"))")
        },
    ]

    /// The result of a `==`/`!=` goal whose value `matches` or not: the fact alone when met, with what the goal wants when not.
    static func equality(_ goal: GoalArguments, _ matches: Bool, fact: String, wanted: String) -> GoalResult {
        matches == (goal.comparison == .equal) ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(goal.comparison.wanted(wanted))")
    }
}

extension TopicGoals {
    /// Goals about a partition's replicas: its leader, its copies, its in-sync set and its high
    /// watermark, as `topic describe` shows them on a cluster.
    static let replicaForms: [GoalForm] = [
        GoalForm(
            [.partition, "leader", .equality, .slot(.brokerOrNone)],
            meaning: "The broker that leads a partition: it takes the writes, and consumers read from it; none while the partition is offline.",
            example: "topic orders p0 leader == 2"
        ) { goal, broker in
            let wanted = goal["BROKER"] == "none" ? "no leader" : "broker \(goal["BROKER"])"
            let wants = goal["BROKER"] == "none" ? "\(goal.comparison.wanted(wanted)) on p\(goal.partition)" : "\(goal.comparison.wanted(wanted)) leading p\(goal.partition)"
            return GoalFacts.withPartition(goal.name, goal.partition, broker, wants: wants) { partition in
                let fact = partition.leader.map { "topic \(goal.name) p\(goal.partition) is led by broker \($0)" }
                    ?? "topic \(goal.name) p\(goal.partition) has no leader: it is offline"
                return ClusterGoals.equality(goal, (partition.leader.map(String.init) ?? "none") == goal["BROKER"], fact: fact, wanted: wanted)
            }
        },
        GoalForm(
            [.partition, "replicas", .op, .number],
            meaning: "How many brokers hold a copy of a partition: its replication factor.",
            example: "topic orders p0 replicas == 3"
        ) { goal, broker in
            GoalFacts.withPartition(goal.name, goal.partition, broker, wants: "\(GoalFacts.wanted(goal, "replica")) of p\(goal.partition)") { partition in
                let fact = "topic \(goal.name) p\(goal.partition) has \(GoalFacts.count(partition.replicas.count, "replica")) (\(ids(partition.replicas)))"
                return goal.comparison.result(Int64(partition.replicas.count), goal.number, fact: fact)
            }
        },
        GoalForm(
            [.partition, "isr", .op, .number],
            meaning: "How many of a partition's replicas are in sync (its ISR): they have every record below the high watermark, and an acks=all write waits for each of them.",
            example: "topic orders p0 isr == 2"
        ) { goal, broker in
            GoalFacts.withPartition(goal.name, goal.partition, broker, wants: "\(GoalFacts.wanted(goal, "in-sync replica")) of p\(goal.partition)") { partition in
                let fact = partition.isr.isEmpty
                    ? "topic \(goal.name) p\(goal.partition) has no in-sync replica"
                    : "topic \(goal.name) p\(goal.partition) has \(GoalFacts.count(partition.isr.count, "in-sync replica")) (\(ids(partition.isr)))"
                return goal.comparison.result(Int64(partition.isr.count), goal.number, fact: fact)
            }
        },
        GoalForm(
            [.partition, "high-watermark", .op, .number],
            meaning: "A partition's high watermark: every in-sync replica has the records below it, and consumers read only those.",
            example: "topic orders p0 high-watermark >= 3"
        ) { goal, broker in
            GoalFacts.withPartition(goal.name, goal.partition, broker, wants: "high watermark \(goal.comparison.wanted(String(goal.number))) on p\(goal.partition)") { partition in
                goal.comparison.result(partition.highWatermark, goal.number, fact: "topic \(goal.name) p\(goal.partition) has high watermark \(partition.highWatermark)")
            }
        },
    ]

    /// Broker ids as a sentence lists them: `1, 2, 3`.
    private static func ids(_ brokers: [Int32]) -> String {
        brokers.map(String.init).joined(separator: ", ")
    }
}

extension GoalSlot {
    /// A broker's id, its `broker.id`: a whole number.
    static let brokerId = GoalSlot("ID", expects: "a broker id, such as 1") { word throws(GoalWordProblem) in
        guard let id = Int32(word), id >= 0 else {
            throw GoalWordProblem("'\(word)' is not a broker id: write its number, such as 1")
        }
        return String(id)
    }

    /// A broker state, as `show cluster` shows it (`powered-off` in one word).
    static let brokerState = GoalSlot("STATE", expects: "a broker state: up, paused, stopped, killed or powered-off") { word throws(GoalWordProblem) in
        guard BrokerGoals.states.contains(word.lowercased()) else {
            throw GoalWordProblem("'\(word)' is not a broker state\(Goal.didYouMean(word, BrokerGoals.states)): write \(Goal.list(BrokerGoals.states, or: true))")
        }
        return word.lowercased()
    }

    /// A broker id, or `none`: who the controller is, or who leads a partition (none while it
    /// is offline).
    static let brokerOrNone = GoalSlot("BROKER", expects: "a broker id, such as 1, or none") { word throws(GoalWordProblem) in
        if word.lowercased() == "none" { return "none" }
        guard let id = Int32(word), id >= 0 else {
            throw GoalWordProblem("'\(word)' is not a broker: write its id, such as 1, or none")
        }
        return String(id)
    }
}
