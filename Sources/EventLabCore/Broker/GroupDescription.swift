/// A group member as `group describe` shows it.
public struct MemberDescription: Hashable, Sendable {
    /// The member's id.
    public var memberId: String
    /// The client id the member announced.
    public var clientId: String
    /// Decoded from the leader's assignment bytes (empty if they are not the consumer protocol).
    public var assignment: [TopicPartition]
}

/// One partition's committed offset and lag, the columns of `kafka-consumer-groups --describe`.
public struct PartitionLag: Hashable, Sendable {
    /// The partition.
    public var topicPartition: TopicPartition
    /// Nil when the group has not committed on this partition.
    public var committedOffset: Int64?
    /// The offset the next record will get.
    public var logEndOffset: Int64
    /// Log-end offset minus committed offset; nil without a commit.
    public var lag: Int64? { committedOffset.map { max(0, logEndOffset.subtractingSaturating($0)) } }
    /// The member the partition is assigned to, if any.
    public var memberId: String?
}

/// A consumer group as `group describe` shows it.
public struct GroupDescription: Hashable, Sendable {
    /// The group the request is for.
    public var groupId: String
    /// Where the group is in Kafka's state machine.
    public var state: ConsumerGroup.State
    /// The protocol type every member shares, "consumer" for consumer groups.
    public var protocolType: String?
    /// The assignor chosen in the last rebalance.
    public var protocolName: String?
    /// Bumped at each completed rebalance.
    public var generation: Int32
    /// The member that computes the assignment.
    public var leaderId: String?
    /// Members in the order they joined.
    public var members: [MemberDescription]
    /// Partitions the group has committed on or is assigned, in topic and partition order.
    public var partitions: [PartitionLag]
    /// The sum of the partitions' lags.
    public var totalLag: Int64 { partitions.reduce(0) { $0.addingSaturating($1.lag ?? 0) } }
}

/// Where `group reset` moves a group's offsets, as `kafka-consumer-groups --reset-offsets` does.
public enum OffsetResetTarget: Hashable, Sendable {
    case earliest
    case latest
    case offset(Int64)
    /// The first offset at or after a timestamp (milliseconds since the epoch).
    case time(Int64)
    /// Relative to the committed offset, such as -2.
    case shift(Int64)
}

/// Which partitions `group reset` moves, as `kafka-consumer-groups --reset-offsets` scopes them.
public enum OffsetResetScope: Hashable, Sendable {
    /// Every partition the group has committed offsets on (`--all-topics`).
    case allTopics
    /// Named topics: each with the partitions picked (`--topic T:0,2`), or nil for all of
    /// its partitions (`--topic T`).
    case topics([TopicSelection])
}

/// A topic named in `group reset --topic`, with the partitions picked from it.
public struct TopicSelection: Hashable, Sendable {
    /// The topic.
    public var topic: String
    /// The partitions picked, or nil for all of them.
    public var partitions: [Int32]?

    /// `topic`, all of its partitions when `partitions` is nil.
    public init(_ topic: String, partitions: [Int32]? = nil) {
        self.topic = topic
        self.partitions = partitions
    }
}

/// One partition's planned or executed reset.
public struct OffsetReset: Hashable, Sendable {
    /// The partition.
    public var topicPartition: TopicPartition
    /// The committed offset before the reset.
    public var previousOffset: Int64?
    /// The offset the target named, before it was clamped to the log.
    public var requestedOffset: Int64
    /// The committed offset after the reset: `requestedOffset` clamped to the log start and end.
    public var newOffset: Int64
}
