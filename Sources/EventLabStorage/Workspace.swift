import EventLabCore

/// A directory that holds one EventLab's brokers (each with its topics), the controller's image
/// of the cluster, committed offsets, clock and flow definitions, owned by one process at a time: the lock is held while this object, or a
/// storage it made, lives.
public final class Workspace {
    /// The workspace's directory.
    public let directory: String
    /// The services and tables defined in the workspace, kept in its `flows` file.
    public let flows: WorkspaceFlows
    private let policy: FlushPolicy
    private let lock: WorkspaceLock

    /// Opens the workspace in `directory` and takes its lock, creating it if the directory is
    /// new or empty; any other directory is refused before anything in it is touched.
    ///
    /// - Throws: a storage error naming the pid that holds the workspace, or saying what is
    ///   wrong with the directory or its files.
    public init(directory: String, policy: FlushPolicy = .os) throws(BrokerError) {
        self.directory = directory
        self.policy = policy
        flows = WorkspaceFlows(directory: directory)
        try WorkspaceFormat.checkAdoptable(directory)
        try FileSystem.createDirectory(directory)
        lock = try WorkspaceLock(directory: directory)
        try WorkspaceFormat.prepare(directory)
    }

    /// Broker 1's topics and the workspace's committed offsets, for one broker to own: it is the
    /// only one that touches them, under its lock, until `Broker.close()`. The storage holds the
    /// lock too, so it stays held while the storage lives, even if this object goes first.
    public func makeStorage() throws(BrokerError) -> sending DiskStorage {
        try DiskStorage(
            directory: directory + "/" + Self.brokerDirectory(1), policy: policy,
            committedOffsets: GroupOffsetsStore(path: directory + "/group-offsets"), lock: lock)
    }

    /// The workspace's brokers, the controller's image and the committed offsets, for one
    /// cluster to own, as ``makeStorage()`` is for one broker. A workspace without a broker yet
    /// gets brokers 1…`newBrokers`; an existing one keeps the brokers it has (the caller
    /// compares their count with what it asked for).
    public func makeCluster(newBrokers: Int) throws(BrokerError) -> sending DiskCluster {
        try DiskCluster(directory: directory, policy: policy, newBrokers: newBrokers, lock: lock)
    }

    /// Broker `id`'s directory within the workspace.
    static func brokerDirectory(_ id: Int32) -> String { "brokers/\(id)" }

    /// The default workspace: `$XDG_DATA_HOME/eventlab`, else `~/.local/share/eventlab`.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/eventlab" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/share/eventlab"
    }

    /// The logical clock's time when the workspace was last closed, if it was saved.
    ///
    /// - Throws: `KAFKA_STORAGE_ERROR` when the file holds anything but a time the logical
    ///   clock can read, rather than starting the clock somewhere the learner did not leave it.
    public func savedClockTime() throws(BrokerError) -> Int64? {
        let path = directory + "/clock"
        guard let bytes = try FileSystem.read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let time = Int64(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""),
              (LogicalClock.earliest...LogicalClock.latest).contains(time)
        else {
            throw BrokerError(
                .kafkaStorageError,
                "\(path) holds \(String((text.split(separator: "\n").first ?? "").prefix(40)).debugDescription), not milliseconds from \(LogicalClock.earliest) (1970-01-01T00:00:00Z) to \(LogicalClock.latest) (9999-12-31T23:59:59.999Z): write such a time, or delete the file to start the logical clock at 2024-01-01T00:00:00Z")
        }
        return time
    }

    /// Saves the logical clock's time.
    public func saveClockTime(_ milliseconds: Int64) throws(BrokerError) {
        try FileSystem.writeAtomically(directory + "/clock", Array("\(milliseconds)\n".utf8))
    }
}
