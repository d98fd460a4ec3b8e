/// A cluster kept in memory, the twin of a workspace's: brokers 1…N, each a ``MemoryStorage``,
/// and the controller's image as last saved.
public final class MemoryCluster: ClusterStorage {
    private var brokers: [Int32: any LogStorage]
    private var image: String?

    /// A cluster of brokers 1…`brokers`.
    public init(brokers count: Int = 1) {
        brokers = Dictionary(uniqueKeysWithValues: (1...Int32(max(1, count))).map { ($0, MemoryStorage() as any LogStorage) })
    }

    public func loadBrokers() -> [Int32: any LogStorage] { brokers }

    public func addBroker(_ id: Int32) -> any LogStorage {
        precondition(brokers[id] == nil, "broker \(id) is new")
        let storage = MemoryStorage()
        brokers[id] = storage
        return storage
    }

    public func loadImage() -> String? { image }

    public func saveImage(_ text: String) { image = text }

    public let committedOffsets: any CommittedOffsetsStorage = MemoryCommittedOffsets()

    public func close() {}
}
