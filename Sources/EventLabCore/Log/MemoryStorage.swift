/// Keeps every topic in memory: the `--memory` workspace, lessons, transcripts and tests.
public final class MemoryStorage: LogStorage {
    /// An empty store.
    public init() {}

    public func makePartition(topic: TopicName, index: Int32, createdAt: Int64) -> any PartitionStorage {
        MemoryPartition(createdAt: createdAt)
    }

    public func removeTopic(_ topic: TopicName) {}
}
