import EventLabCore

/// A cluster's storage in a workspace: each broker's in `brokers/<id>/` (a ``DiskStorage``),
/// the controller's image in `cluster`, and the groups' committed offsets in `group-offsets`.
/// Every storage it makes holds the one workspace lock.
public final class DiskCluster: ClusterStorage {
    /// The workspace's directory.
    let directory: String
    private let policy: FlushPolicy
    private let lock: WorkspaceLock
    /// The brokers' storages opened so far, by id.
    private var brokers: [Int32: DiskStorage] = [:]
    /// How many brokers a workspace that has none is given.
    private let newBrokers: Int
    /// The groups' committed offsets, shared by every broker's storage.
    public let committedOffsets: any CommittedOffsetsStorage

    /// Broker ids a workspace may hold: `brokers/1` to `brokers/99`.
    static let brokerIds: ClosedRange<Int32> = 1...99

    init(directory: String, policy: FlushPolicy, newBrokers: Int, lock: WorkspaceLock) throws(BrokerError) {
        self.directory = directory
        self.policy = policy
        self.newBrokers = newBrokers
        self.lock = lock
        committedOffsets = GroupOffsetsStore(path: directory + "/group-offsets")
        try FileSystem.createDirectory(brokersDirectory)
    }

    private var brokersDirectory: String { directory + "/brokers" }
    private var imagePath: String { directory + "/cluster" }

    /// Opens every broker's storage, first creating brokers 1…`newBrokers` in a workspace that
    /// has none.
    ///
    /// - Throws: `KAFKA_STORAGE_ERROR` naming anything under `brokers/` that is not a broker's
    ///   directory (`1` to `99`): nothing is opened past it.
    public func loadBrokers() throws(BrokerError) -> [Int32: any LogStorage] {
        var ids: [Int32] = []
        for entry in try FileSystem.list(brokersDirectory) {
            guard let id = Int32(entry), Self.brokerIds.contains(id), String(id) == entry, FileSystem.isDirectory(brokersDirectory + "/" + entry) else {
                throw BrokerError(
                    .kafkaStorageError,
                    "\(brokersDirectory)/\(entry) is not a broker's directory: brokers/ holds only directories named by broker id, 1 to 99. "
                        + "Nothing was opened; move it out of the workspace")
            }
            ids.append(id)
        }
        if ids.isEmpty { ids = (1...Int32(max(1, newBrokers))).map { $0 } }
        for id in ids where brokers[id] == nil { brokers[id] = try storage(id) }
        return brokers
    }

    public func addBroker(_ id: Int32) throws(BrokerError) -> any LogStorage {
        precondition(Self.brokerIds.contains(id) && brokers[id] == nil, "broker \(id) is new and within 1…99")
        let storage = try storage(id)
        try FileSystem.syncDirectory(brokersDirectory)
        brokers[id] = storage
        return storage
    }

    /// Broker `id`'s storage, its directory created if new.
    private func storage(_ id: Int32) throws(BrokerError) -> DiskStorage {
        try DiskStorage(directory: directory + "/" + Workspace.brokerDirectory(id), policy: policy, committedOffsets: committedOffsets, lock: lock)
    }

    public func loadImage() throws(BrokerError) -> String? {
        try FileSystem.read(imagePath).map { String(decoding: $0, as: UTF8.self) }
    }

    public func saveImage(_ text: String) throws(BrokerError) {
        try FileSystem.writeAtomically(imagePath, Array(text.utf8))
    }

    /// Closes every broker's storage; the first failure is thrown after trying them all.
    public func close() throws(BrokerError) {
        var failure: BrokerError?
        for id in brokers.keys.sorted() {
            do throws(BrokerError) { try brokers[id]!.close() } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }
}
