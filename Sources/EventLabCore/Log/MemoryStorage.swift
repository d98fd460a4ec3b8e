/// Keeps every topic in memory: the `--memory` workspace, lessons, transcripts and tests.
public final class MemoryStorage: LogStorage {
    /// What stands in for a disk's sync of partition `partition` of `topic`, if anything.
    private let sync: (@Sendable (_ topic: TopicName, _ partition: Int) throws(BrokerError) -> Void)?

    /// An empty store. With `sync`, every append waits for it as a disk with flush policy
    /// `batch` waits for its fsync — tests hold a partition's syncs there, or fail them.
    public init(sync: (@Sendable (_ topic: TopicName, _ partition: Int) throws(BrokerError) -> Void)? = nil) {
        self.sync = sync
    }

    public func loadTopics() -> LoadedTopics { LoadedTopics(topics: []) }

    public func createTopic(_ name: TopicName, config: TopicConfig, partitions count: Int, hosting: [Int]) -> [any PartitionStorage] {
        hosting.map { partition(name, $0) }
    }

    public func addPartitions(_ name: TopicName, config: TopicConfig, indexes: Range<Int>, hosting: [Int]) -> [any PartitionStorage] {
        hosting.map { partition(name, $0) }
    }

    public func addReplica(_ name: TopicName, config: TopicConfig, partitionCount: Int, partition index: Int) -> any PartitionStorage {
        partition(name, index)
    }

    public func removeReplica(_ name: TopicName, partition: Int) {}

    private func partition(_ name: TopicName, _ index: Int) -> MemoryPartition {
        guard let sync else { return MemoryPartition() }
        return MemoryPartition { () throws(BrokerError) in try sync(name, index) }
    }

    public func saveConfig(_ config: TopicConfig, for name: TopicName) {}

    public func removeTopic(_ name: TopicName) {}

    public let committedOffsets: any CommittedOffsetsStorage = MemoryCommittedOffsets()

    public func close() {}
}

/// Committed offsets in memory: the broker's own state is all there is, so nothing is kept here.
final class MemoryCommittedOffsets: CommittedOffsetsStorage {
    func load() -> [String: StoredGroupOffsets] { [:] }

    func save(_ stored: StoredGroupOffsets, group: String) {}
}
