/// Keeps every topic in memory: the `--memory` workspace, lessons, transcripts and tests.
public final class MemoryStorage: LogStorage {
    /// An empty store.
    public init() {}

    public func loadTopics() -> LoadedTopics { LoadedTopics(topics: []) }

    public func createTopic(_ name: TopicName, config: TopicConfig, partitions: Int) -> [any PartitionStorage] {
        (0..<partitions).map { _ in MemoryPartition() }
    }

    public func addPartitions(_ name: TopicName, indexes: Range<Int>) -> [any PartitionStorage] {
        indexes.map { _ in MemoryPartition() }
    }

    public func saveConfig(_ config: TopicConfig, for name: TopicName) {}

    public func removeTopic(_ name: TopicName) {}

    public func loadCommittedOffsets() -> [String: [TopicPartition: CommittedOffset]] { [:] }

    public func saveCommittedOffsets(_ offsets: [TopicPartition: CommittedOffset], group: String) {}

    public func close() {}
}
