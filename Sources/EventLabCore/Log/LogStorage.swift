/// A topic as storage remembers it when the broker opens: the partitions this broker hosts a
/// copy of, which may be some of the topic's only.
public struct StoredTopic {
    /// The topic's name.
    public var name: TopicName
    /// Its configuration.
    public var config: TopicConfig
    /// How many partitions the topic has, hosted here or not.
    public var partitionCount: Int
    /// The indexes of the partitions hosted here, ascending.
    public var indexes: [Int]
    /// The hosted partitions' storage, parallel to `indexes`.
    public var partitions: [any PartitionStorage]

    /// A stored topic whose partitions `indexes` (ascending) of `partitionCount` are hosted here.
    public init(name: TopicName, config: TopicConfig, partitionCount: Int, indexes: [Int], partitions: [any PartitionStorage]) {
        precondition(indexes.count == partitions.count, "one storage for each hosted partition")
        self.name = name
        self.config = config
        self.partitionCount = partitionCount
        self.indexes = indexes
        self.partitions = partitions
    }

    /// A stored topic that hosts all its partitions here.
    public init(name: TopicName, config: TopicConfig, partitions: [any PartitionStorage]) {
        self.init(name: name, config: config, partitionCount: partitions.count, indexes: Array(partitions.indices), partitions: partitions)
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
    /// Creates storage for a new topic of `count` partitions, of which this broker hosts those
    /// in `hosting` (ascending, each below `count`; none means it stores nothing): its config and
    /// an empty copy of each, returned in `hosting` order.
    func createTopic(_ name: TopicName, config: TopicConfig, partitions count: Int, hosting: [Int]) throws(BrokerError) -> [any PartitionStorage]
    /// Grows a topic to `indexes.upperBound` partitions, of which this broker hosts those in
    /// `hosting` (ascending, within `indexes`): an empty copy of each, returned in `hosting`
    /// order. A broker that held none of the topic's partitions holds the topic (with `config`)
    /// once it hosts one; hosting none of them, it stores nothing.
    func addPartitions(_ name: TopicName, config: TopicConfig, indexes: Range<Int>, hosting: [Int]) throws(BrokerError) -> [any PartitionStorage]
    /// Adds an empty copy of partition `partition` of a topic of `partitionCount` partitions,
    /// holding the topic (with `config`) if this broker held none of its partitions yet.
    ///
    /// - Precondition: the broker does not host that partition yet.
    func addReplica(_ name: TopicName, config: TopicConfig, partitionCount: Int, partition: Int) throws(BrokerError) -> any PartitionStorage
    /// Removes this broker's copy of partition `partition`, and the topic with its last one.
    /// The partition's storage is not used afterwards.
    func removeReplica(_ name: TopicName, partition: Int) throws(BrokerError)
    /// Remembers a topic's new configuration (nothing, for a topic this broker does not hold).
    func saveConfig(_ config: TopicConfig, for name: TopicName) throws(BrokerError)
    /// Removes everything stored for `topic` (nothing, for a topic this broker does not hold).
    func removeTopic(_ name: TopicName) throws(BrokerError)
    /// Where the groups' committed offsets are kept.
    var committedOffsets: any CommittedOffsetsStorage { get }
    /// Makes everything durable and marks a clean shutdown; the storage is not used afterwards.
    func close() throws(BrokerError)
}

extension LogStorage {
    /// Creates storage for a new topic whose `count` partitions are all hosted here.
    public func createTopic(_ name: TopicName, config: TopicConfig, partitions count: Int) throws(BrokerError) -> [any PartitionStorage] {
        try createTopic(name, config: config, partitions: count, hosting: Array(0..<count))
    }
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
