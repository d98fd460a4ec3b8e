// TEMPORARY: stands in for MemoryCluster and Workspace.makeCluster until they land on main.
import EventLabCore
import EventLabStorage

final class MemoryCluster: ClusterStorage {
    private let brokers: [Int32: any LogStorage]
    private var image: String?
    let committedOffsets: any CommittedOffsetsStorage = MemoryStorage().committedOffsets

    init(brokers: Int) {
        self.brokers = Dictionary(uniqueKeysWithValues: (1...Int32(brokers)).map { ($0, MemoryStorage() as any LogStorage) })
    }

    func loadBrokers() -> [Int32: any LogStorage] { brokers }
    func addBroker(_ id: Int32) throws(BrokerError) -> any LogStorage { throw BrokerError(.invalidRequest, "shim") }
    func loadImage() -> String? { image }
    func saveImage(_ text: String) { image = text }
    func close() {}
}

extension Workspace {
    func makeCluster(newBrokers: Int) throws(BrokerError) -> sending any ClusterStorage { throw BrokerError(.invalidRequest, "disk clusters are not there yet") }
}
