/// One storage as a cluster of one broker, id 1, holding every partition: what a broker made
/// over a single storage runs on.
final class SingleStorageCluster: ClusterStorage {
    private let storage: any LogStorage
    private var image: String?

    init(_ storage: any LogStorage) {
        self.storage = storage
    }

    func loadBrokers() -> [Int32: any LogStorage] { [1: storage] }

    func addBroker(_ id: Int32) throws(BrokerError) -> any LogStorage {
        throw BrokerError(.invalidRequest, "this broker was opened over one storage, which holds one broker; open a workspace as a cluster to add brokers")
    }

    func loadImage() -> String? { image }

    func saveImage(_ text: String) { image = text }

    var committedOffsets: any CommittedOffsetsStorage { storage.committedOffsets }

    func close() throws(BrokerError) { try storage.close() }
}
