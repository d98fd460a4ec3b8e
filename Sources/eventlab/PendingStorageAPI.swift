import EventLabCore
import EventLabShell
import EventLabStorage

// TEMPORARY: the storage helper's cluster, until it lands on main; removed on merge.
extension Workspace {
    func makeCluster(newBrokers: Int) throws -> sending any ClusterStorage { PendingDiskCluster(storage: try makeStorage()) }
}

final class PendingDiskCluster: ClusterStorage {
    let storage: any LogStorage
    init(storage: any LogStorage) { self.storage = storage }
    func loadBrokers() throws(BrokerError) -> [Int32: any LogStorage] { [1: storage] }
    func addBroker(_ id: Int32) throws(BrokerError) -> any LogStorage { throw BrokerError(.invalidRequest, "not yet") }
    func loadImage() throws(BrokerError) -> String? { nil }
    func saveImage(_ text: String) throws(BrokerError) {}
    var committedOffsets: any CommittedOffsetsStorage { storage.committedOffsets }
    func close() throws(BrokerError) { try storage.close() }
}
