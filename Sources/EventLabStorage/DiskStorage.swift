import EventLabCore

/// The core's storage on disk: `topics/<name>/config` and `topics/<name>/<partition>/`, and
/// the groups' committed offsets in `group-offsets`.
///
/// Topic names are checked (``TopicName``) before any path is built from them, so no name can
/// reach outside the workspace. A topic is built in `staging/creating` and renamed into
/// `topics/`, and renamed out to `staging/deleting` to be deleted, so each takes effect at
/// once; compaction prepares cleaned segments in `staging/compacting`. `staging/` sits outside
/// `topics/` so that no topic name, `.creating` included, is ever taken for a leftover.
public final class DiskStorage: LogStorage {
    let directory: String
    private let policy: FlushPolicy
    private var topicsDirectory: String { directory + "/topics" }
    private var creatingDirectory: String { directory + "/staging/creating" }
    private var deletingDirectory: String { directory + "/staging/deleting" }
    /// Where compaction writes cleaned segments before it swaps them into their partition.
    private var compactingDirectory: String { directory + "/staging/compacting" }
    private var partitions: [TopicName: [DiskPartition]] = [:]
    /// The segments' open files, shared by every partition, so descriptors stay few.
    let files = FileCache()
    /// The groups' committed offsets, in `group-offsets`.
    public let committedOffsets: any CommittedOffsetsStorage
    /// Held so that the workspace stays locked while this storage can write to it, whatever
    /// became of the `Workspace` that made it.
    private let lock: WorkspaceLock

    init(directory: String, policy: FlushPolicy, lock: WorkspaceLock) throws(BrokerError) {
        self.directory = directory
        self.policy = policy
        self.lock = lock
        committedOffsets = GroupOffsetsStore(path: directory + "/group-offsets")
        try FileSystem.createDirectory(topicsDirectory)
        try FileSystem.createDirectory(directory + "/staging")
    }

    private func topicDirectory(_ name: TopicName) -> String { topicsDirectory + "/" + name.rawValue }

    private func configPath(_ name: TopicName) -> String { topicDirectory(name) + "/config" }

    public func loadTopics() throws(BrokerError) -> LoadedTopics {
        // A creation or deletion that a crash interrupted: never acknowledged, or already done.
        try FileSystem.removeTree(creatingDirectory)
        try FileSystem.removeTree(deletingDirectory)
        try FileSystem.removeTree(compactingDirectory)
        var loaded = LoadedTopics(topics: [])
        for entry in try FileSystem.list(topicsDirectory) {
            let path = topicsDirectory + "/" + entry
            guard let name = try? TopicName(entry), FileSystem.isDirectory(path) else { continue }
            do throws(BrokerError) {
                loaded.topics.append(try loadTopic(name))
            } catch {
                loaded.unavailable[name] = error
            }
        }
        return loaded
    }

    /// Opens one topic's config and partitions.
    private func loadTopic(_ name: TopicName) throws(BrokerError) -> StoredTopic {
        let path = topicDirectory(name)
        guard let bytes = try FileSystem.read(configPath(name)) else {
            throw BrokerError(.kafkaStorageError, "\(path) has no config file: restore it or delete the directory")
        }
        let (config, count) = try TopicConfigFile.decode(bytes, path: configPath(name))
        for extra in try FileSystem.list(path) where Int(extra).map({ $0 >= count }) ?? false {
            try removeInterruptedAddition(path + "/" + extra, partitions: count)
        }
        var opened: [DiskPartition] = []
        for index in 0..<count {
            opened.append(try DiskPartition.open(in: path + "/\(index)", policy: policy, files: files, scratch: compactingDirectory))
        }
        partitions[name] = opened
        return StoredTopic(name: name, config: config, partitions: opened)
    }

    /// Removes a partition directory beyond the config's count: what adding partitions leaves
    /// when a crash stops it before the config is saved — empty partitions only.
    ///
    /// - Throws: `KAFKA_STORAGE_ERROR` when it holds records: then the config is what is wrong.
    private func removeInterruptedAddition(_ path: String, partitions count: Int) throws(BrokerError) {
        let holdsRecords = try FileSystem.list(path).contains { name in
            DiskSegment.baseOffset(ofLogFile: name).map { base in base > 0 || FileSystem.size(path + "/" + name) != 0 } ?? false
        }
        guard !holdsRecords else {
            throw BrokerError(
                .kafkaStorageError,
                "\(path) holds records, but the topic's config says it has \(count) partition\(count == 1 ? "" : "s"): "
                    + "a topic's partitions can only grow. Nothing was removed; correct `partitions=` in the config")
        }
        try FileSystem.removeTree(path)
    }

    public func createTopic(_ name: TopicName, config: TopicConfig, partitions count: Int) throws(BrokerError) -> [any PartitionStorage] {
        let staging = creatingDirectory
        try FileSystem.removeTree(staging)
        try FileSystem.createDirectory(staging)
        do throws(BrokerError) {
            for index in 0..<count { _ = try DiskPartition.create(in: staging + "/\(index)", policy: policy, files: files, scratch: compactingDirectory) }
            files.forget(under: staging)
            try FileSystem.writeAtomically(staging + "/config", TopicConfigFile.encode(config, partitions: count))
        } catch {
            files.forget(under: staging)
            try? FileSystem.removeTree(staging)
            throw error
        }
        try FileSystem.rename(staging, to: topicDirectory(name))
        try FileSystem.syncDirectory(topicsDirectory)
        do throws(BrokerError) {
            var opened: [DiskPartition] = []
            for index in 0..<count { opened.append(try DiskPartition.open(in: topicDirectory(name) + "/\(index)", policy: policy, files: files, scratch: compactingDirectory)) }
            partitions[name] = opened
            return opened
        } catch {
            // All or nothing: a topic the broker could not take is not left on disk.
            try? removeTopic(name)
            throw error
        }
    }

    public func addPartitions(_ name: TopicName, indexes: Range<Int>) throws(BrokerError) -> [any PartitionStorage] {
        var added: [DiskPartition] = []
        do throws(BrokerError) {
            for index in indexes {
                added.append(try DiskPartition.create(in: topicDirectory(name) + "/\(index)", policy: policy, files: files, scratch: compactingDirectory))
            }
            let (config, _) = try TopicConfigFile.decode(try FileSystem.read(configPath(name)) ?? [], path: configPath(name))
            try FileSystem.writeAtomically(configPath(name), TopicConfigFile.encode(config, partitions: indexes.upperBound))
        } catch {
            for index in indexes {
                files.forget(under: topicDirectory(name) + "/\(index)")
                try? FileSystem.removeTree(topicDirectory(name) + "/\(index)")
            }
            throw error
        }
        partitions[name, default: []] += added
        return added
    }

    public func saveConfig(_ config: TopicConfig, for name: TopicName) throws(BrokerError) {
        try FileSystem.writeAtomically(configPath(name), TopicConfigFile.encode(config, partitions: partitions[name]?.count ?? 0))
    }

    public func removeTopic(_ name: TopicName) throws(BrokerError) {
        let doomed = deletingDirectory
        try FileSystem.removeTree(doomed)
        files.forget(under: topicDirectory(name))
        try FileSystem.rename(topicDirectory(name), to: doomed)
        try FileSystem.syncDirectory(topicsDirectory)
        partitions[name] = nil
        try FileSystem.removeTree(doomed)
    }

    /// Closes every partition cleanly, so the next open reads indexes instead of scanning.
    public func close() throws(BrokerError) {
        for topic in partitions.values {
            for partition in topic { try partition.close() }
        }
    }
}
