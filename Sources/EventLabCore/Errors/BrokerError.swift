/// A failed broker operation: the Kafka error code a client would see, and a sentence for a person.
///
/// The message says what was wrong and what would be right. Every operation that throws one
/// has changed nothing.
public struct BrokerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The Kafka error code of this failure.
    public let code: KafkaErrorCode
    /// What was wrong and what is allowed.
    public let message: String

    /// An error with `code` and `message`.
    public init(_ code: KafkaErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code.name)]" }
}

extension BrokerError {
    static func unknownTopic(_ name: String, known: [String]) -> BrokerError {
        let hint = known.isEmpty
            ? "there are no topics yet; create one with `topic create \(name)`"
            : "topics: \(known.joined(separator: ", "))"
        return BrokerError(.unknownTopicOrPartition, "topic '\(name)' does not exist (\(hint))")
    }

    static func unknownPartition(_ topic: String, _ partition: Int32, count: Int) -> BrokerError {
        BrokerError(
            .unknownTopicOrPartition,
            "topic '\(topic)' has no partition \(partition): its partitions are 0 to \(count - 1)")
    }

    static func unavailableTopic(_ name: String, _ cause: BrokerError) -> BrokerError {
        BrokerError(
            .kafkaStorageError,
            "topic '\(name)' could not be opened, so it is offline: \(cause.message). `topic delete \(name)` discards it")
    }

    static func corrupt(_ detail: String) -> BrokerError {
        BrokerError(.corruptMessage, "corrupt record batch: \(detail)")
    }
}

extension BrokerError {
    /// A partition with no leader: every replica of its in-sync set is down.
    static func offline(_ partition: ReplicatedPartition) -> BrokerError {
        let name = "\(partition.id.topic) p\(partition.id.partition)"
        let isr = partition.isr.map(String.init).joined(separator: ", ")
        return BrokerError(
            .leaderNotAvailable,
            "\(name) has no leader: its in-sync replicas (\(isr)) are all down; `broker start \(partition.isr.first ?? partition.replicas[0])` brings it back, or unclean.leader.election.enable=true lets an out-of-sync replica lead and lose what it lacks")
    }
}
