import EventLabCore

/// One broker's storage on disk, in its directory `brokers/<id>` of the workspace:
/// `topics/<name>/config` and `topics/<name>/<partition>/` for each partition it hosts a copy
/// of; the groups' committed offsets are the workspace's, in its `group-offsets`.
///
/// Topic names are checked (``TopicName``) before any path is built from them, so no name can
/// reach outside the workspace. A topic is built in `staging/creating` and renamed into
/// `topics/`, and renamed out to `staging/deleting` to be deleted, so each takes effect at
/// once; compaction prepares cleaned segments in `staging/compacting`. `staging/` sits outside
/// `topics/` so that no topic name, `.creating` included, is ever taken for a leftover. A copy
/// of one partition is added beside the others and then named in the config's `hosted=`; one is
/// removed by renaming it `<partition>.removing`, dropping it from `hosted=`, then deleting it,
/// so that opening after a crash finishes or undoes either from the config.
public final class DiskStorage: LogStorage {
    let directory: String
    private let policy: FlushPolicy
    private var topicsDirectory: String { directory + "/topics" }
    private var creatingDirectory: String { directory + "/staging/creating" }
    private var deletingDirectory: String { directory + "/staging/deleting" }
    /// Where compaction writes cleaned segments before it swaps them into their partition.
    private var compactingDirectory: String { directory + "/staging/compacting" }
    /// The topics this broker holds: each one's partition count and the copies hosted here.
    private var held: [TopicName: HeldTopic] = [:]
    /// The segments' open files, shared by every partition, so descriptors stay few.
    let files = FileCache()
    /// The groups' committed offsets: the workspace's `group-offsets`.
    public let committedOffsets: any CommittedOffsetsStorage
    /// Held so that the workspace stays locked while this storage can write to it, whatever
    /// became of the `Workspace` that made it.
    private let lock: WorkspaceLock

    /// A topic's partition count and the copies of its partitions hosted here, by index.
    private struct HeldTopic {
        var count: Int
        var partitions: [Int: DiskPartition]
        var hosted: [Int] { partitions.keys.sorted() }
    }

    init(directory: String, policy: FlushPolicy, committedOffsets: any CommittedOffsetsStorage, lock: WorkspaceLock) throws(BrokerError) {
        self.directory = directory
        self.policy = policy
        self.lock = lock
        self.committedOffsets = committedOffsets
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

    /// Opens one topic's config and the partitions hosted here, first finishing or undoing what
    /// a crash interrupted: a copy being added or removed, partitions being added.
    private func loadTopic(_ name: TopicName) throws(BrokerError) -> StoredTopic {
        let path = topicDirectory(name)
        guard let bytes = try FileSystem.read(configPath(name)) else {
            throw BrokerError(.kafkaStorageError, "\(path) has no config file: restore it or delete the directory")
        }
        let contents = try TopicConfigFile.decode(bytes, path: configPath(name))
        let (count, hosted) = (contents.partitions, Set(contents.hosted))
        for entry in try FileSystem.list(path) {
            if entry.hasSuffix(Self.removingSuffix), let index = Int(entry.dropLast(Self.removingSuffix.count)) {
                try finishRemoval(path, index, hosted: hosted.contains(index))
            } else if let index = Int(entry), !hosted.contains(index) {
                try removeInterruptedAddition(path + "/" + entry, index: index, partitions: count, hosted: contents.hosted)
            }
        }
        var opened: [Int: DiskPartition] = [:]
        for index in contents.hosted {
            opened[index] = try DiskPartition.open(in: path + "/\(index)", policy: policy, files: files, scratch: compactingDirectory)
        }
        held[name] = HeldTopic(count: count, partitions: opened)
        return StoredTopic(
            name: name, config: contents.config, partitionCount: count, indexes: contents.hosted, partitions: contents.hosted.map { opened[$0]! })
    }

    static let removingSuffix = ".removing"

    /// Finishes removing the copy of partition `index` renamed `<index>.removing`, or undoes it
    /// while the config still names it hosted (the removal had not taken effect).
    private func finishRemoval(_ path: String, _ index: Int, hosted: Bool) throws(BrokerError) {
        let removing = path + "/\(index)" + Self.removingSuffix
        guard hosted else { return try FileSystem.removeTree(removing) }
        guard !FileSystem.exists(path + "/\(index)") else {
            throw BrokerError(
                .kafkaStorageError,
                "\(path) holds both \(index) and \(index)\(Self.removingSuffix), and its config says partition \(index) is hosted here: "
                    + "nothing was changed; move aside the one that is not partition \(index)'s copy")
        }
        try FileSystem.rename(removing, to: path + "/\(index)")
        try FileSystem.syncDirectory(path)
    }

    /// Removes a partition directory the config does not name: what adding partitions, or a
    /// copy of one, leaves when a crash stops it before the config is saved — empty partitions only.
    ///
    /// - Throws: `KAFKA_STORAGE_ERROR` when it holds records: then the config is what is wrong.
    private func removeInterruptedAddition(_ path: String, index: Int, partitions count: Int, hosted: [Int]) throws(BrokerError) {
        let holdsRecords = try FileSystem.list(path).contains { name in
            DiskSegment.baseOffset(ofLogFile: name).map { base in base > 0 || FileSystem.size(path + "/" + name) != 0 } ?? false
        }
        guard holdsRecords else { return try FileSystem.removeTree(path) }
        if index >= count {
            throw BrokerError(
                .kafkaStorageError,
                "\(path) holds records, but the topic's config says it has \(count) partition\(count == 1 ? "" : "s"): "
                    + "a topic's partitions can only grow. Nothing was removed; correct `partitions=` in the config")
        }
        throw BrokerError(
            .kafkaStorageError,
            "\(path) holds records, but the topic's config says this broker hosts only partitions \(hosted.map(String.init).joined(separator: ",")): "
                + "nothing was removed; add \(index) to `hosted=` in the config, or remove the directory if this copy was meant to go")
    }

    public func createTopic(_ name: TopicName, config: TopicConfig, partitions count: Int, hosting: [Int]) throws(BrokerError) -> [any PartitionStorage] {
        guard !hosting.isEmpty else { return [] }
        let staging = creatingDirectory
        try FileSystem.removeTree(staging)
        try FileSystem.createDirectory(staging)
        do throws(BrokerError) {
            for index in hosting { _ = try DiskPartition.create(in: staging + "/\(index)", policy: policy, files: files, scratch: compactingDirectory) }
            files.forget(under: staging)
            try FileSystem.writeAtomically(staging + "/config", TopicConfigFile.encode(config, partitions: count, hosted: hosting))
        } catch {
            files.forget(under: staging)
            try? FileSystem.removeTree(staging)
            throw error
        }
        try FileSystem.rename(staging, to: topicDirectory(name))
        try FileSystem.syncDirectory(topicsDirectory)
        do throws(BrokerError) {
            var opened: [Int: DiskPartition] = [:]
            for index in hosting {
                opened[index] = try DiskPartition.open(in: topicDirectory(name) + "/\(index)", policy: policy, files: files, scratch: compactingDirectory)
            }
            held[name] = HeldTopic(count: count, partitions: opened)
            return hosting.map { opened[$0]! }
        } catch {
            // All or nothing: a topic the broker could not take is not left on disk.
            try? removeTopic(name)
            throw error
        }
    }

    public func addPartitions(_ name: TopicName, config: TopicConfig, indexes: Range<Int>, hosting: [Int]) throws(BrokerError) -> [any PartitionStorage] {
        guard var topic = held[name] else {
            return try createTopic(name, config: config, partitions: indexes.upperBound, hosting: hosting)
        }
        var added: [Int: DiskPartition] = [:]
        do throws(BrokerError) {
            for index in hosting {
                added[index] = try DiskPartition.create(in: topicDirectory(name) + "/\(index)", policy: policy, files: files, scratch: compactingDirectory)
            }
            topic.count = indexes.upperBound
            topic.partitions.merge(added) { old, _ in old }
            try writeConfig(topic, for: name)
        } catch {
            for index in hosting {
                files.forget(under: topicDirectory(name) + "/\(index)")
                try? FileSystem.removeTree(topicDirectory(name) + "/\(index)")
            }
            throw error
        }
        held[name] = topic
        return hosting.map { added[$0]! }
    }

    public func addReplica(_ name: TopicName, config: TopicConfig, partitionCount: Int, partition index: Int) throws(BrokerError) -> any PartitionStorage {
        guard var topic = held[name] else {
            return try createTopic(name, config: config, partitions: partitionCount, hosting: [index])[0]
        }
        precondition(topic.partitions[index] == nil, "partition \(index) of '\(name)' is hosted here already")
        let path = topicDirectory(name) + "/\(index)"
        do throws(BrokerError) {
            let partition = try DiskPartition.create(in: path, policy: policy, files: files, scratch: compactingDirectory)
            try FileSystem.syncDirectory(topicDirectory(name))
            topic.count = max(topic.count, partitionCount)
            topic.partitions[index] = partition
            try writeConfig(topic, for: name)
            held[name] = topic
            return partition
        } catch {
            files.forget(under: path)
            try? FileSystem.removeTree(path)
            throw error
        }
    }

    public func removeReplica(_ name: TopicName, partition index: Int) throws(BrokerError) {
        guard var topic = held[name], topic.partitions[index] != nil else { return }
        guard topic.partitions.count > 1 else { return try removeTopic(name) }
        let path = topicDirectory(name) + "/\(index)"
        files.forget(under: path)
        try FileSystem.rename(path, to: path + Self.removingSuffix)
        topic.partitions[index] = nil
        do throws(BrokerError) {
            try writeConfig(topic, for: name)
        } catch {
            try? FileSystem.rename(path + Self.removingSuffix, to: path)
            throw error
        }
        held[name] = topic
        try FileSystem.removeTree(path + Self.removingSuffix)
        try FileSystem.syncDirectory(topicDirectory(name))
    }

    /// Rewrites a held topic's config file with its partition count and hosted copies, keeping
    /// the configuration the file holds.
    private func writeConfig(_ topic: HeldTopic, for name: TopicName) throws(BrokerError) {
        let config = try TopicConfigFile.decode(try FileSystem.read(configPath(name)) ?? [], path: configPath(name)).config
        try FileSystem.writeAtomically(configPath(name), TopicConfigFile.encode(config, partitions: topic.count, hosted: topic.hosted))
    }

    public func saveConfig(_ config: TopicConfig, for name: TopicName) throws(BrokerError) {
        guard let topic = held[name] else { return }
        try FileSystem.writeAtomically(configPath(name), TopicConfigFile.encode(config, partitions: topic.count, hosted: topic.hosted))
    }

    public func removeTopic(_ name: TopicName) throws(BrokerError) {
        guard FileSystem.exists(topicDirectory(name)) else { return }
        let doomed = deletingDirectory
        try FileSystem.removeTree(doomed)
        files.forget(under: topicDirectory(name))
        try FileSystem.rename(topicDirectory(name), to: doomed)
        try FileSystem.syncDirectory(topicsDirectory)
        held[name] = nil
        try FileSystem.removeTree(doomed)
    }

    /// Closes every partition cleanly, so the next open reads indexes instead of scanning.
    public func close() throws(BrokerError) {
        for topic in held.values {
            for partition in topic.partitions.values { try partition.close() }
        }
    }
}
