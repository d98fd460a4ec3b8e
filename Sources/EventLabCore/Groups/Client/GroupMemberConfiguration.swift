/// How a group member joins: its group, what it reads, and the consumer settings Kafka's
/// clients send with JoinGroup.
public struct GroupMemberConfiguration: Sendable {
    /// The consumer group.
    public var groupId: String
    /// Kafka's `client.id`: the prefix of the member id the coordinator gives.
    public var clientId: String
    /// The topics the member subscribes to.
    public var topics: [String]
    /// The assignors the member offers, in its order of preference; the leader runs the one the
    /// group chose.
    public var assignors: [any PartitionAssignor]
    /// Kafka's `group.instance.id`: set, the member is static and keeps its partitions across
    /// restarts.
    public var instanceId: String?
    /// Kafka's `session.timeout.ms`.
    public var sessionTimeoutMs: Int32
    /// Kafka's `max.poll.interval.ms`: how long a rebalance waits for the member to rejoin.
    public var rebalanceTimeoutMs: Int32
    /// How long the first rebalance of an empty group waits for more members
    /// (`group.initial.rebalance.delay.ms`, which the broker sets for network clients).
    public var initialRebalanceDelayMs: Int32
    /// Join as JoinGroup v4+ does: a new member is first given its id (KIP-394).
    public var requiresKnownMemberId: Bool

    /// A member of `groupId` reading `topics`; the assignors default to range, as Kafka's do.
    public init(
        groupId: String, clientId: String, topics: [String], assignors: [any PartitionAssignor] = [RangeAssignor()],
        instanceId: String? = nil, sessionTimeoutMs: Int32 = 45_000, rebalanceTimeoutMs: Int32 = 300_000,
        initialRebalanceDelayMs: Int32 = 0, requiresKnownMemberId: Bool = false
    ) {
        precondition(!assignors.isEmpty, "a group member offers at least one assignor")
        self.groupId = groupId
        self.clientId = clientId
        self.topics = topics
        self.assignors = assignors
        self.instanceId = instanceId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.initialRebalanceDelayMs = initialRebalanceDelayMs
        self.requiresKnownMemberId = requiresKnownMemberId
    }

    /// The protocols JoinGroup offers: one per assignor, each with the same subscription.
    var protocols: [GroupProtocol] {
        let subscription = ConsumerProtocol.Subscription(topics: topics).encoded()
        return assignors.map { GroupProtocol(name: $0.name, metadata: subscription) }
    }
}
