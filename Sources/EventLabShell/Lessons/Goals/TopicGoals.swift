import EventLabCore

/// Goals about a topic: that it exists, its partitions and configs, its log, and each partition's
/// replicas (``replicaForms``).
enum TopicGoals: GoalSubject {
    static let word = "topic"
    static let name: GoalSlot? = GoalSlot.topicName

    static let forms: [GoalForm] = [
        GoalForm(["exists"], meaning: "The topic exists.", example: "topic orders exists") { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: nil) { _ in GoalResult(met: true, "topic \(goal.name) exists") }
        },
        GoalForm(["absent"], meaning: "The topic does not exist (never created, or deleted).", example: "topic scratch absent") { goal, broker in
            GoalFacts.exists(goal.name, broker)
                ? GoalResult(met: false, "topic \(goal.name) exists; the goal is that it does not")
                : GoalResult(met: true, "topic \(goal.name) does not exist")
        },
        GoalForm(["partitions", .op, .number], meaning: "How many partitions the topic has.", example: "topic orders partitions == 3") { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: GoalFacts.wanted(goal, "partition")) { topic in
                let count = topic.partitions.count
                return goal.comparison.result(Int64(count), goal.number, fact: "topic \(goal.name) has \(GoalFacts.count(count, "partition"))")
            }
        },
        GoalForm(
            ["records", .op, .number], meaning: "How many records the topic's log holds now, over all partitions: retention and compaction remove some.",
            example: "topic orders records >= 5"
        ) { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: GoalFacts.wanted(goal, "record")) { topic in
                let count = topic.partitions.reduce(0) { $0 + recordCount($1) }
                return goal.comparison.result(Int64(count), goal.number, fact: "topic \(goal.name) has \(GoalFacts.count(count, "record"))")
            }
        },
        GoalForm(
            [.partition, "records", .op, .number], meaning: "How many records one partition's log holds now.",
            example: "topic orders p1 records == 2"
        ) { goal, broker in
            GoalFacts.withPartition(goal.name, goal.partition, broker, wants: "\(GoalFacts.wanted(goal, "record")) in p\(goal.partition)") { partition in
                let count = recordCount(partition)
                return goal.comparison.result(Int64(count), goal.number, fact: "topic \(goal.name) p\(goal.partition) has \(GoalFacts.count(count, "record"))")
            }
        },
        GoalForm(
            [.partition, "start-offset", .op, .number],
            meaning: "A partition's log-start offset: the first offset a consumer may read. Retention moves it up, a whole segment at a time.",
            example: "topic orders p0 start-offset > 0"
        ) { goal, broker in
            GoalFacts.withPartition(goal.name, goal.partition, broker, wants: "start offset \(goal.comparison.wanted(String(goal.number))) on p\(goal.partition)") { partition in
                goal.comparison.result(partition.logStartOffset, goal.number, fact: "topic \(goal.name) p\(goal.partition) starts at offset \(partition.logStartOffset)")
            }
        },
        GoalForm(
            [.partition, "end-offset", .op, .number], meaning: "A partition's log-end offset: the offset its next record will get.",
            example: "topic orders p0 end-offset == 4"
        ) { goal, broker in
            GoalFacts.withPartition(goal.name, goal.partition, broker, wants: "end offset \(goal.comparison.wanted(String(goal.number))) on p\(goal.partition)") { partition in
                goal.comparison.result(partition.logEndOffset, goal.number, fact: "topic \(goal.name) p\(goal.partition) ends at offset \(partition.logEndOffset)")
            }
        },
        GoalForm(
            ["segments", .op, .number], meaning: "How many segments the topic's partitions have together, the active ones included.",
            example: "topic events segments >= 3"
        ) { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: GoalFacts.wanted(goal, "segment")) { topic in
                let count = topic.partitions.reduce(0) { $0 + $1.segments.count }
                return goal.comparison.result(Int64(count), goal.number, fact: "topic \(goal.name) has \(GoalFacts.count(count, "segment"))")
            }
        },
        GoalForm(
            [.partition, "segments", .op, .number], meaning: "How many segments one partition has, the active one included.",
            example: "topic events p0 segments == 1"
        ) { goal, broker in
            GoalFacts.withPartition(goal.name, goal.partition, broker, wants: "\(GoalFacts.wanted(goal, "segment")) in p\(goal.partition)") { partition in
                let count = partition.segments.count
                return goal.comparison.result(Int64(count), goal.number, fact: "topic \(goal.name) p\(goal.partition) has \(GoalFacts.count(count, "segment"))")
            }
        },
        GoalForm(
            ["tombstones", .op, .number], meaning: "How many tombstones (records with a key and no value) the topic's log holds now.",
            example: "topic users tombstones == 0"
        ) { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: GoalFacts.wanted(goal, "tombstone")) { topic throws(BrokerError) in
                let count = try GoalFacts.records(topic, broker).filter { $0.record.isTombstone }.count
                return goal.comparison.result(Int64(count), goal.number, fact: "topic \(goal.name) has \(GoalFacts.count(count, "tombstone"))")
            }
        },
        GoalForm(
            ["key", .slot(.key), "records", .op, .number],
            meaning: "How many records with this key the topic's log holds now, tombstones included: compaction keeps the last per key.",
            example: "topic users key u-1 records == 1"
        ) { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: "\(GoalFacts.wanted(goal, "record")) with key \(goal["KEY"])") { topic throws(BrokerError) in
                let key = Array(goal["KEY"].utf8)
                let count = try GoalFacts.records(topic, broker).filter { $0.record.key.map(Array.init) == key }.count
                return goal.comparison.result(Int64(count), goal.number, fact: "topic \(goal.name) has \(GoalFacts.count(count, "record")) with key \(goal["KEY"])")
            }
        },
        GoalForm(
            ["key", .slot(.key), "partitions", .op, .number],
            meaning: "How many partitions hold records with this key: one while the partition count stays, more after partitions are added.",
            example: "topic orders key o-1 partitions == 1"
        ) { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: "key \(goal["KEY"]) in \(GoalFacts.wanted(goal, "partition"))") { topic throws(BrokerError) in
                let key = Array(goal["KEY"].utf8)
                let partitions = Set(try GoalFacts.records(topic, broker).filter { $0.record.key.map(Array.init) == key }.map(\.partition)).sorted()
                let fact = partitions.isEmpty
                    ? "topic \(goal.name) has no records with key \(goal["KEY"])"
                    : "topic \(goal.name) has key \(goal["KEY"]) in \(GoalFacts.count(partitions.count, "partition")) (\(partitions.map { "p\($0)" }.joined(separator: ", ")))"
                return goal.comparison.result(Int64(partitions.count), goal.number, fact: fact)
            }
        },
        GoalForm(
            ["config", .slot(.config), .equality, .slot(.configValue)],
            meaning: "A topic config's value, in Kafka's spelling (`-1` for no limit); the value is checked against the config's rule.",
            example: "topic users config cleanup.policy == compact", prepare: normalizeConfigValue
        ) { goal, broker in
            GoalFacts.withTopic(goal.name, broker, wants: "\(goal["CONFIG"]) \(goal.comparison.wanted(goal["VALUE"]))") { topic throws(BrokerError) in
                let value = try topic.config.value(of: goal["CONFIG"])
                let fact = "topic \(goal.name) has \(goal["CONFIG"]) \(value)"
                let met = (value == goal["VALUE"]) == (goal.comparison == .equal)
                return met ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(goal.comparison.wanted(goal["VALUE"]))")
            }
        },
    ] + replicaForms

    /// The records a partition's log holds: its segments' counts, which compaction and retention keep true.
    private static func recordCount(_ partition: PartitionDescription) -> Int {
        partition.segments.reduce(0) { $0 + $1.recordCount }
    }

    /// Rewrites `VALUE` in the spelling the topic reads back (`compact,delete` for
    /// `delete,compact`), refusing a value the config would refuse.
    private static func normalizeConfigValue(_ goal: inout GoalArguments) throws(GoalWordProblem) {
        var config = TopicConfig()
        do throws(BrokerError) {
            try config.set(goal["CONFIG"], to: goal["VALUE"])
            goal["VALUE"] = try config.value(of: goal["CONFIG"])
        } catch {
            throw GoalWordProblem(error.message, at: "VALUE")
        }
    }
}

extension GoalSlot {
    /// A topic config's name, as Kafka spells it.
    static let config = GoalSlot("CONFIG", expects: "a topic config such as cleanup.policy") { word throws(GoalWordProblem) in
        do throws(BrokerError) {
            return try TopicConfigRegistry.entry(word).name
        } catch {
            throw GoalWordProblem(error.message)
        }
    }

    /// A topic config's value, checked with its config once both are read.
    static let configValue = GoalSlot("VALUE", expects: "the config's value, such as compact") { word throws(GoalWordProblem) in word }
}
