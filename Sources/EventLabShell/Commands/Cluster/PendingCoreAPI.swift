import EventLabCore

/// TEMPORARY stand-in for the storage helper's memory cluster, until it lands on main.
public final class MemoryCluster: ClusterStorage, @unchecked Sendable {
    var storages: [Int32: any LogStorage]
    var image: String?
    public init(brokers: Int) {
        storages = Dictionary(uniqueKeysWithValues: (1...Int32(brokers)).map { ($0, MemoryStorage() as any LogStorage) })
    }
    public func loadBrokers() -> [Int32: any LogStorage] { storages }
    public func addBroker(_ id: Int32) -> any LogStorage {
        storages[id] = MemoryStorage()
        return storages[id]!
    }
    public func loadImage() -> String? { image }
    public func saveImage(_ text: String) { image = text }
    public let committedOffsets: any CommittedOffsetsStorage = MemoryStorage().committedOffsets
    public func close() {}
}
