/// A partition of a topic, the unit of assignment and of committed offsets.
public struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition index.
    public var partition: Int32

    /// Partition `partition` of `topic`.
    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)/\(partition)" }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }
}

/// Identifies a parked request, so that its answer can find the caller when the group is ready.
public struct ReplyTicket: Hashable, Sendable {
    /// A number unique among the caller's pending requests.
    public let rawValue: UInt64

    /// A ticket numbered `rawValue`.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
}

/// One protocol a member can speak, such as "range", with its subscription bytes.
public struct GroupProtocol: Hashable, Sendable {
    /// The assignor's name.
    public var name: String
    /// Opaque to the broker: the consumer's subscription.
    public var metadata: [UInt8]

    /// A protocol `name` with `metadata`.
    public init(name: String, metadata: [UInt8]) {
        self.name = name
        self.metadata = metadata
    }
}

/// Kafka's JoinGroup request, as the coordinator needs it.
public struct JoinGroupRequest: Hashable, Sendable {
    /// The group the request is for.
    public var groupId: String
    /// Empty for a new member, which gets an id.
    public var memberId: String
    /// Prefix of a new member's id.
    public var clientId: String
    /// How long the member may stay silent before it is removed.
    public var sessionTimeoutMs: Int32
    /// How long a rebalance waits for the member to rejoin.
    public var rebalanceTimeoutMs: Int32
    /// "consumer" for consumer groups.
    public var protocolType: String
    /// In the member's order of preference.
    public var protocols: [GroupProtocol]
    /// The member's `group.instance.id`: set, it is a static member (KIP-345), which keeps its
    /// place and assignment when it restarts.
    public var instanceId: String?
    /// True from JoinGroup v4 on (KIP-394): a new member without an instance id is first
    /// given an id with MEMBER_ID_REQUIRED and joins when it comes back with it.
    public var requiresKnownMemberId: Bool
    /// How long the first rebalance of an empty group waits for more members
    /// (`group.initial.rebalance.delay.ms`); 0 starts it at once.
    public var initialRebalanceDelayMs: Int32

    /// A join request with the given fields.
    public init(
        groupId: String, memberId: String = "", clientId: String, sessionTimeoutMs: Int32 = 45_000,
        rebalanceTimeoutMs: Int32 = 300_000, protocolType: String = "consumer", protocols: [GroupProtocol],
        instanceId: String? = nil, requiresKnownMemberId: Bool = false, initialRebalanceDelayMs: Int32 = 0
    ) {
        self.groupId = groupId
        self.memberId = memberId
        self.clientId = clientId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.protocolType = protocolType
        self.protocols = protocols
        self.instanceId = instanceId
        self.requiresKnownMemberId = requiresKnownMemberId
        self.initialRebalanceDelayMs = initialRebalanceDelayMs
    }
}

/// Kafka's JoinGroup response.
public struct JoinGroupResponse: Hashable, Sendable {
    /// NONE, or why the request failed.
    public var error: KafkaErrorCode
    /// The group's generation.
    public var generationId: Int32
    /// The assignor the group chose.
    public var protocolName: String
    /// The leader's member id.
    public var leaderId: String
    /// The member's id.
    public var memberId: String
    /// Every member and its metadata for the chosen protocol: only the leader gets them.
    public var members: [JoinedMember]

    /// The leader's view of one member.
    public struct JoinedMember: Hashable, Sendable {
        /// The member's id.
        public var memberId: String
        /// The member's `group.instance.id`, nil for a dynamic member.
        public var instanceId: String?
        /// The member's subscription bytes for the chosen protocol.
        public var metadata: [UInt8]
    }

    /// True when this member must compute the assignment.
    public var isLeader: Bool { error == .none && leaderId == memberId }

    static func failed(_ error: KafkaErrorCode, memberId: String = "") -> JoinGroupResponse {
        JoinGroupResponse(error: error, generationId: -1, protocolName: "", leaderId: "", memberId: memberId, members: [])
    }
}

/// Kafka's SyncGroup request.
public struct SyncGroupRequest: Hashable, Sendable {
    /// The group the request is for.
    public var groupId: String
    /// The group's generation.
    public var generationId: Int32
    /// The member's id.
    public var memberId: String
    /// The leader's assignment per member id; empty from followers.
    public var assignments: [String: [UInt8]]
    /// The member's `group.instance.id`, nil for a dynamic member.
    public var instanceId: String?

    /// A sync request with the given fields.
    public init(groupId: String, generationId: Int32, memberId: String, assignments: [String: [UInt8]] = [:], instanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.assignments = assignments
        self.instanceId = instanceId
    }
}

/// Kafka's SyncGroup response: the member's assignment, opaque bytes from the leader.
public struct SyncGroupResponse: Hashable, Sendable {
    /// NONE, or why the request failed.
    public var error: KafkaErrorCode
    /// The member's assignment, opaque bytes from the leader.
    public var assignment: [UInt8]
}

/// An answer to a parked JoinGroup or SyncGroup, released when the group is ready.
public enum GroupReply: Hashable, Sendable {
    case join(ReplyTicket, JoinGroupResponse)
    case sync(ReplyTicket, SyncGroupResponse)
}

/// A committed offset and its metadata.
public struct CommittedOffset: Hashable, Sendable {
    /// The next offset the group will read.
    public var offset: Int64
    /// Whatever the committing client attached.
    public var metadata: String?
    /// When it was committed, on the broker clock (Kafka's commit timestamp): a group that
    /// never had members loses it `offsets.retention.minutes` later. Nil until the broker
    /// stamps it.
    public var commitTimestamp: Int64?

    /// Offset `offset` with optional `metadata`, committed at `commitTimestamp`.
    public init(offset: Int64, metadata: String? = nil, commitTimestamp: Int64? = nil) {
        self.offset = offset
        self.metadata = metadata
        self.commitTimestamp = commitTimestamp
    }
}
