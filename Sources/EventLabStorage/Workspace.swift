import EventLabCore

/// A directory that holds one EventLab's topics, configs, committed offsets and clock, owned
/// by one process at a time: the lock is held while this object, or a storage it made, lives.
public final class Workspace {
    /// The workspace's directory.
    public let directory: String
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
        try WorkspaceFormat.checkAdoptable(directory)
        try FileSystem.createDirectory(directory)
        lock = try WorkspaceLock(directory: directory)
        try WorkspaceFormat.prepare(directory)
    }

    /// The workspace's topics and offsets, for one broker to own: it is the only one that
    /// touches them, under its lock, until `Broker.close()`. The storage holds the lock too,
    /// so it stays held while the storage lives, even if this object goes first.
    public func makeStorage() throws(BrokerError) -> sending DiskStorage {
        try DiskStorage(directory: directory, policy: policy, lock: lock)
    }

    /// The default workspace: `$XDG_DATA_HOME/eventlab`, else `~/.local/share/eventlab`.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/eventlab" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/share/eventlab"
    }

    /// The logical clock's time when the workspace was last closed, if it was saved.
    public func savedClockTime() throws(BrokerError) -> Int64? {
        try FileSystem.read(directory + "/clock").flatMap { Int64(String(decoding: $0, as: UTF8.self).split(separator: "\n").first ?? "") }
    }

    /// Saves the logical clock's time.
    public func saveClockTime(_ milliseconds: Int64) throws(BrokerError) {
        try FileSystem.writeAtomically(directory + "/clock", Array("\(milliseconds)\n".utf8))
    }
}
