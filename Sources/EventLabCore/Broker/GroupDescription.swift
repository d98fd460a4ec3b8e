/// A group member as `group describe` shows it.
public struct MemberDescription: Hashable, Sendable {
    public var memberId: String
    public var clientId: String
    /// Decoded from the leader's assignment bytes (empty if they are not the consumer protocol).
    public var assignment: [TopicPartition]
}

/// One partition's committed offset and lag, the columns of `kafka-consumer-groups --describe`.
public struct PartitionLag: Hashable, Sendable {
    public var topicPartition: TopicPartition
    /// Nil when the group has not committed on this partition.
    public var committedOffset: Int64?
    public var logEndOffset: Int64
    /// Log-end offset minus committed offset; nil without a commit.
    public var lag: Int64? { committedOffset.map { max(0, logEndOffset - $0) } }
    /// The member the partition is assigned to, if any.
    public var memberId: String?
}

/// A consumer group as `group describe` shows it.
public struct GroupDescription: Hashable, Sendable {
    public var groupId: String
    public var state: ConsumerGroup.State
    public var protocolType: String?
    public var protocolName: String?
    public var generation: Int32
    public var leaderId: String?
    public var members: [MemberDescription]
    /// Partitions the group has committed on or is assigned, in topic and partition order.
    public var partitions: [PartitionLag]
    /// The sum of the partitions' lags.
    public var totalLag: Int64 { partitions.reduce(0) { $0 + ($1.lag ?? 0) } }
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

/// One partition's planned or executed reset.
public struct OffsetReset: Hashable, Sendable {
    public var topicPartition: TopicPartition
    public var previousOffset: Int64?
    public var newOffset: Int64
}
