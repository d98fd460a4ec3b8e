/// A topic as storage remembers it when the broker opens.
public struct StoredTopic {
    /// The topic's name.
    public var name: TopicName
    /// Its configuration.
    public var config: TopicConfig
    /// The copies of its partitions this storage holds, in the order of `indexes`.
    public var partitions: [any PartitionStorage]
    /// How many partitions the topic has.
    public var partitionCount: Int
    /// The indexes of the partitions held here, ascending.
    public var indexes: [Int]

    /// A stored topic with the given parts, holding every partition.
    public init(name: TopicName, config: TopicConfig, partitions: [any PartitionStorage]) {
        self.name = name
        self.config = config
        self.partitions = partitions
        partitionCount = partitions.count
        indexes = Array(partitions.indices)
    }
}

/// What storage holds when the broker opens: the topics it could open, and those it could not.
public struct LoadedTopics {
    /// The topics opened, in name order.
    public var topics: [StoredTopic]
    /// Topics whose files are damaged, each with the error saying what and where. They stay on
    /// disk as they are; one bad topic does not keep the others from opening.
    public var unavailable: [TopicName: BrokerError]

    /// Loaded topics with the given parts.
    public init(topics: [StoredTopic], unavailable: [TopicName: BrokerError] = [:]) {
        self.topics = topics
        self.unavailable = unavailable
    }
}

/// Keeps whole topics and the groups' committed offsets: in memory, or in a workspace on disk.
///
/// Every method either does all it says or throws and leaves things as they were.
public protocol LogStorage: AnyObject {
    /// The topics already stored, in name order, and those that cannot be opened.
    func loadTopics() throws(BrokerError) -> LoadedTopics
    /// Creates storage for a new topic: its config and `partitions` empty partitions.
    func createTopic(_ name: TopicName, config: TopicConfig, partitions: Int) throws(BrokerError) -> [any PartitionStorage]
    /// Adds empty partitions with the given indexes to a topic.
    func addPartitions(_ name: TopicName, indexes: Range<Int>) throws(BrokerError) -> [any PartitionStorage]
    /// Remembers a topic's new configuration.
    func saveConfig(_ config: TopicConfig, for name: TopicName) throws(BrokerError)
    /// Removes everything stored for `topic`.
    func removeTopic(_ name: TopicName) throws(BrokerError)
    /// Where the groups' committed offsets are kept.
    var committedOffsets: any CommittedOffsetsStorage { get }
    /// Makes everything durable and marks a clean shutdown; the storage is not used afterwards.
    func close() throws(BrokerError)
}

/// Keeps the groups' committed offsets. Safe to call from any thread: the broker writes them
/// after releasing its lock, so a slow disk holds back no other request.
///
/// Every method either does all it says or throws and leaves things as they were.
public protocol CommittedOffsetsStorage: AnyObject, Sendable {
    /// Every group's committed offsets, with what their expiry counts from.
    func load() throws(BrokerError) -> [String: StoredGroupOffsets]
    /// Remembers a group's committed offsets, replacing what was stored for it and keeping
    /// every other group's (a group with no offsets is forgotten). Calls for different groups
    /// may come at once.
    func save(_ stored: StoredGroupOffsets, group: String) throws(BrokerError)
}

/// One group's committed offsets as storage keeps them.
public struct StoredGroupOffsets: Sendable, Equatable {
    /// The offsets, each with its commit timestamp (nil in a file older than format 5).
    public var offsets: [TopicPartition: CommittedOffset]
    /// Whether the group had members, and since when it has none: what its offsets'
    /// expiry counts from.
    public var presence: GroupPresence

    /// `offsets` of a group whose members stand as `presence` says.
    public init(offsets: [TopicPartition: CommittedOffset], presence: GroupPresence = .neverHadMembers) {
        self.offsets = offsets
        self.presence = presence
    }
}

extension LogStorage {
    /// Creates storage for a new topic of `partitions` partitions holding only those at `hosting`.
    public func createTopic(_ name: TopicName, config: TopicConfig, partitions: Int, hosting: [Int]) throws(BrokerError) -> [any PartitionStorage] {
        let all = try createTopic(name, config: config, partitions: partitions)
        return hosting.map { all[$0] }
    }

    /// Adds the partitions `indexes` to a topic, holding only those at `hosting`.
    public func addPartitions(_ name: TopicName, indexes: Range<Int>, hosting: [Int]) throws(BrokerError) -> [any PartitionStorage] {
        let all = try addPartitions(name, indexes: indexes)
        return hosting.map { all[$0 - indexes.lowerBound] }
    }
}
