/// A client-side partition assignor: the group leader runs it and sends each member its share.
public protocol PartitionAssignor: Sendable {
    /// The protocol name members announce, such as "range".
    var name: String { get }
    /// Each member's partitions, given each member's subscribed topics and each topic's
    /// partition count. Every member id appears in the result, possibly with nothing.
    func assign(subscriptions: [String: [String]], partitionCounts: [String: Int32]) -> [String: [TopicPartition]]
}

/// Kafka's RangeAssignor: per topic, members in id order take consecutive ranges; the first
/// `partitions % members` take one extra.
public struct RangeAssignor: PartitionAssignor {
    public let name = "range"

    /// The range assignor.
    public init() {}

    public func assign(subscriptions: [String: [String]], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result = subscriptions.mapValues { _ in [TopicPartition]() }
        let topics = Set(subscriptions.values.joined()).sorted()
        for topic in topics {
            guard let count = partitionCounts[topic] else { continue }
            let members = subscriptions.filter { $0.value.contains(topic) }.keys.sorted()
            let share = Int(count) / members.count
            let extra = Int(count) % members.count
            var next: Int32 = 0
            for (position, member) in members.enumerated() {
                let size = share + (position < extra ? 1 : 0)
                result[member]! += (next..<next + Int32(size)).map { TopicPartition(topic, $0) }
                next += Int32(size)
            }
        }
        return result
    }
}

/// Kafka's RoundRobinAssignor: all partitions in (topic, partition) order dealt to members in
/// id order, skipping members not subscribed to the partition's topic.
public struct RoundRobinAssignor: PartitionAssignor {
    public let name = "roundrobin"

    /// The round-robin assignor.
    public init() {}

    public func assign(subscriptions: [String: [String]], partitionCounts: [String: Int32]) -> [String: [TopicPartition]] {
        var result = subscriptions.mapValues { _ in [TopicPartition]() }
        let members = subscriptions.keys.sorted()
        guard !members.isEmpty else { return result }
        let partitions = Set(subscriptions.values.joined()).sorted().flatMap { topic in
            (0..<(partitionCounts[topic] ?? 0)).map { TopicPartition(topic, $0) }
        }
        var turn = 0
        for partition in partitions {
            for _ in 0..<members.count {
                let member = members[turn % members.count]
                turn += 1
                if subscriptions[member]!.contains(partition.topic) {
                    result[member]!.append(partition)
                    break
                }
            }
        }
        return result
    }
}
