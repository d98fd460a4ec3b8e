import EventLabCore

/// What goals read from the broker, through its public API only, and how their sentences say it.
enum GoalFacts {
    /// `body`'s result on topic `name`, or an unmet result saying the topic is missing and what
    /// the goal `wants` (nil for a goal about the topic's existence), or why it cannot be read.
    static func withTopic(
        _ name: String, _ broker: Broker, wants: String?, _ body: (TopicDescription) throws(BrokerError) -> GoalResult
    ) -> GoalResult {
        do throws(BrokerError) {
            return try body(try broker.describeTopic(name))
        } catch where !exists(name, broker) {
            return GoalResult(met: false, missing("topic \(name) does not exist", wants: wants))
        } catch {
            return GoalResult(met: false, "topic \(name) cannot be read: \(error.message)")
        }
    }

    /// Whether topic `name` exists, readable or not.
    static func exists(_ name: String, _ broker: Broker) -> Bool {
        broker.topics().contains { $0.name == name } || broker.unavailableTopics().contains { $0.name == name }
    }

    /// `body`'s result on partition `index` of topic `name`, or an unmet result saying it is
    /// missing and what the goal `wants`.
    static func withPartition(
        _ name: String, _ index: Int32, _ broker: Broker, wants: String, _ body: (PartitionDescription) throws(BrokerError) -> GoalResult
    ) -> GoalResult {
        withTopic(name, broker, wants: wants) { topic throws(BrokerError) in
            guard index < topic.partitions.count else {
                let fact = "topic \(name) has no p\(index): it has \(count(topic.partitions.count, "partition"))"
                return GoalResult(met: false, missing(fact, wants: wants))
            }
            return try body(topic.partitions[Int(index)])
        }
    }

    /// Every record of `topic` now in its log, with its partition, in partition and offset order.
    static func records(_ topic: TopicDescription, _ broker: Broker) throws(BrokerError) -> [(partition: Int32, record: Record)] {
        var all: [(partition: Int32, record: Record)] = []
        for partition in topic.partitions {
            var offset = partition.logStartOffset
            while offset < partition.logEndOffset {
                let records = try broker.read(topic.name, partition: partition.index, from: offset)
                guard let last = records.last else { break }
                all += records.map { (partition.index, $0) }
                offset = last.offset + 1
            }
        }
        return all
    }

    /// `body`'s result on group `name`, or an unmet result saying it does not exist and what the
    /// goal `wants` (nil for a goal about the group's existence).
    static func withGroup(_ name: String, _ broker: Broker, wants: String?, _ body: (GroupDescription) -> GoalResult) -> GoalResult {
        guard let group = try? broker.describeGroup(name) else {
            return GoalResult(met: false, missing("group \(name) does not exist", wants: wants))
        }
        return body(group)
    }

    /// `fact` about a missing subject, ended with what the goal wants so the learner sees both.
    static func missing(_ fact: String, wants: String?) -> String {
        wants.map { "\(fact); the goal is \($0)" } ?? fact
    }

    /// What a counting goal wants, said after "the goal is": `3 partitions`, `at least 1 record`.
    static func wanted(_ goal: GoalArguments, _ noun: String) -> String {
        goal.comparison.wanted(count(goal.number, noun))
    }

    /// `1 record`, `3 records`.
    static func count(_ number: some BinaryInteger, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
