/// A Kafka protocol error code, as `org.apache.kafka.common.protocol.Errors` numbers them.
///
/// The REPL and the network server report the same failure with the same code.
public struct KafkaErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The code sent on the wire.
    public let rawValue: Int16

    /// A code from its wire value.
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// No error.
    public static let none = KafkaErrorCode(rawValue: 0)
    /// The requested offset is below the log-start offset or above the log-end offset.
    public static let offsetOutOfRange = KafkaErrorCode(rawValue: 1)
    /// A batch failed its CRC or could not be parsed.
    public static let corruptMessage = KafkaErrorCode(rawValue: 2)
    /// The topic or partition does not exist.
    public static let unknownTopicOrPartition = KafkaErrorCode(rawValue: 3)
    /// The partition has no leader: every replica of its in-sync set is down.
    public static let leaderNotAvailable = KafkaErrorCode(rawValue: 5)
    /// The broker asked neither leads nor follows the partition (Kafka 2.5 names it
    /// NOT_LEADER_FOR_PARTITION).
    public static let notLeaderOrFollower = KafkaErrorCode(rawValue: 6)
    /// A replica of the partition is down: a Metadata v0 answer left it out.
    public static let replicaNotAvailable = KafkaErrorCode(rawValue: 9)
    /// The request waited longer than it may: an acks=all write whose replicas did not fetch in time.
    public static let requestTimedOut = KafkaErrorCode(rawValue: 7)
    /// A batch is larger than the topic's maximum message size.
    public static let messageTooLarge = KafkaErrorCode(rawValue: 10)
    /// Offset commit metadata is longer than 4096 bytes.
    public static let offsetMetadataTooLarge = KafkaErrorCode(rawValue: 12)
    /// No broker can coordinate the group now.
    public static let coordinatorNotAvailable = KafkaErrorCode(rawValue: 15)
    /// The broker asked does not coordinate the group: its members and commits go to the
    /// broker FindCoordinator names.
    public static let notCoordinator = KafkaErrorCode(rawValue: 16)
    /// The topic name is not a legal Kafka topic name.
    public static let invalidTopic = KafkaErrorCode(rawValue: 17)
    /// A produce request's `acks` is not -1 (all), 0 (none) or 1 (the leader).
    public static let invalidRequiredAcks = KafkaErrorCode(rawValue: 21)
    /// An acks=all write was refused before it was appended: the in-sync set is smaller than
    /// the topic's `min.insync.replicas`.
    public static let notEnoughReplicas = KafkaErrorCode(rawValue: 19)
    /// An acks=all write was appended, but the in-sync set shrank below `min.insync.replicas`
    /// before it was acknowledged.
    public static let notEnoughReplicasAfterAppend = KafkaErrorCode(rawValue: 20)
    /// The member's generation is not the group's current one.
    public static let illegalGeneration = KafkaErrorCode(rawValue: 22)
    /// The member's protocol type or protocols do not match the group's.
    public static let inconsistentGroupProtocol = KafkaErrorCode(rawValue: 23)
    /// The group id is empty or otherwise not allowed.
    public static let invalidGroupId = KafkaErrorCode(rawValue: 24)
    /// The member id is not known to the group.
    public static let unknownMemberId = KafkaErrorCode(rawValue: 25)
    /// The session timeout is outside the allowed range.
    public static let invalidSessionTimeout = KafkaErrorCode(rawValue: 26)
    /// The group is rebalancing; the member must rejoin.
    public static let rebalanceInProgress = KafkaErrorCode(rawValue: 27)
    /// A record's timestamp is not allowed: below -1 (Kafka's "no timestamp"), or a time only
    /// the broker may set.
    public static let invalidTimestamp = KafkaErrorCode(rawValue: 32)
    /// The request's API version is not supported.
    public static let unsupportedVersion = KafkaErrorCode(rawValue: 35)
    /// The topic already exists.
    public static let topicAlreadyExists = KafkaErrorCode(rawValue: 36)
    /// The partition count is not allowed.
    public static let invalidPartitions = KafkaErrorCode(rawValue: 37)
    /// The replication factor is larger than the brokers available, or below 1.
    public static let invalidReplicationFactor = KafkaErrorCode(rawValue: 38)
    /// New partitions were placed on brokers the cluster does not have, or not one list per partition.
    public static let invalidReplicaAssignment = KafkaErrorCode(rawValue: 39)
    /// A partition is being reassigned, so the topic cannot grow meanwhile.
    public static let reassignmentInProgress = KafkaErrorCode(rawValue: 60)
    /// A topic configuration value is not allowed.
    public static let invalidConfig = KafkaErrorCode(rawValue: 40)
    /// The broker asked is not the cluster's controller, which alone creates and deletes topics
    /// and adds partitions.
    public static let notController = KafkaErrorCode(rawValue: 41)
    /// The request is malformed.
    public static let invalidRequest = KafkaErrorCode(rawValue: 42)
    /// An idempotent producer's batch does not follow its previous one: a batch went missing.
    public static let outOfOrderSequenceNumber = KafkaErrorCode(rawValue: 45)
    /// A producer with a newer epoch has taken over this producer id: this one is fenced.
    public static let invalidProducerEpoch = KafkaErrorCode(rawValue: 47)
    /// A request breaks a policy of the topic, such as deleting records of a topic whose
    /// cleanup.policy does not include delete.
    public static let policyViolation = KafkaErrorCode(rawValue: 44)
    /// The group does not exist.
    public static let groupIdNotFound = KafkaErrorCode(rawValue: 69)
    /// The partition's leader is alive but listens nowhere clients can reach.
    public static let listenerNotFound = KafkaErrorCode(rawValue: 72)
    /// The client's leader epoch is older than the partition's.
    public static let fencedLeaderEpoch = KafkaErrorCode(rawValue: 74)
    /// The client's leader epoch is newer than the partition's.
    public static let unknownLeaderEpoch = KafkaErrorCode(rawValue: 75)
    /// The batch uses a compression codec the broker does not support.
    public static let unsupportedCompressionType = KafkaErrorCode(rawValue: 76)
    /// A new member must rejoin with the member id the broker gave it.
    public static let memberIdRequired = KafkaErrorCode(rawValue: 79)
    /// A newer member with the same `group.instance.id` has taken this member's place.
    public static let fencedInstanceId = KafkaErrorCode(rawValue: 82)
    /// Reading or writing the log on disk failed.
    public static let kafkaStorageError = KafkaErrorCode(rawValue: 56)
    /// The group still has active members, so the operation is not allowed.
    public static let nonEmptyGroup = KafkaErrorCode(rawValue: 68)
    /// The group's members are subscribed to the topic, so its committed offsets on it cannot
    /// be deleted (OffsetDelete, KIP-496).
    public static let groupSubscribedToTopic = KafkaErrorCode(rawValue: 86)
    /// A record breaks a rule of its topic, such as a missing key on a compacted topic.
    public static let invalidRecord = KafkaErrorCode(rawValue: 87)
    /// An update named a version of what it changes that is no longer current: someone else
    /// changed it first.
    public static let invalidUpdateVersion = KafkaErrorCode(rawValue: 95)

    /// Kafka's upper-case name for the code, as client libraries print it.
    public var name: String {
        switch rawValue {
        case 0: "NONE"
        case 1: "OFFSET_OUT_OF_RANGE"
        case 2: "CORRUPT_MESSAGE"
        case 3: "UNKNOWN_TOPIC_OR_PARTITION"
        case 5: "LEADER_NOT_AVAILABLE"
        case 6: "NOT_LEADER_OR_FOLLOWER"
        case 7: "REQUEST_TIMED_OUT"
        case 9: "REPLICA_NOT_AVAILABLE"
        case 10: "MESSAGE_TOO_LARGE"
        case 12: "OFFSET_METADATA_TOO_LARGE"
        case 15: "COORDINATOR_NOT_AVAILABLE"
        case 16: "NOT_COORDINATOR"
        case 17: "INVALID_TOPIC_EXCEPTION"
        case 19: "NOT_ENOUGH_REPLICAS"
        case 20: "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
        case 21: "INVALID_REQUIRED_ACKS"
        case 22: "ILLEGAL_GENERATION"
        case 23: "INCONSISTENT_GROUP_PROTOCOL"
        case 24: "INVALID_GROUP_ID"
        case 25: "UNKNOWN_MEMBER_ID"
        case 26: "INVALID_SESSION_TIMEOUT"
        case 27: "REBALANCE_IN_PROGRESS"
        case 32: "INVALID_TIMESTAMP"
        case 35: "UNSUPPORTED_VERSION"
        case 36: "TOPIC_ALREADY_EXISTS"
        case 37: "INVALID_PARTITIONS"
        case 38: "INVALID_REPLICATION_FACTOR"
        case 39: "INVALID_REPLICA_ASSIGNMENT"
        case 40: "INVALID_CONFIG"
        case 41: "NOT_CONTROLLER"
        case 42: "INVALID_REQUEST"
        case 44: "POLICY_VIOLATION"
        case 45: "OUT_OF_ORDER_SEQUENCE_NUMBER"
        case 47: "INVALID_PRODUCER_EPOCH"
        case 56: "KAFKA_STORAGE_ERROR"
        case 60: "REASSIGNMENT_IN_PROGRESS"
        case 68: "NON_EMPTY_GROUP"
        case 69: "GROUP_ID_NOT_FOUND"
        case 72: "LISTENER_NOT_FOUND"
        case 74: "FENCED_LEADER_EPOCH"
        case 75: "UNKNOWN_LEADER_EPOCH"
        case 76: "UNSUPPORTED_COMPRESSION_TYPE"
        case 79: "MEMBER_ID_REQUIRED"
        case 82: "FENCED_INSTANCE_ID"
        case 86: "GROUP_SUBSCRIBED_TO_TOPIC"
        case 87: "INVALID_RECORD"
        case 95: "INVALID_UPDATE_VERSION"
        default: "UNKNOWN_ERROR_\(rawValue)"
        }
    }

    public var description: String { "\(name) (\(rawValue))" }
}
