import EventLabCore
import Synchronization

/// The workspace's `group-offsets` file, kept whole: each save rewrites it with every group's
/// offsets. Saves come from any thread, outside the broker's lock, and take turns here, each
/// starting from what the last one wrote, so no group's commit is lost to another's.
final class GroupOffsetsStore: CommittedOffsetsStorage {
    let path: String
    /// What the file holds, once read.
    private let committed = Mutex<[String: [TopicPartition: CommittedOffset]]?>(nil)

    init(path: String) {
        self.path = path
    }

    func load() throws(BrokerError) -> [String: [TopicPartition: CommittedOffset]] {
        try committed.withLock { committed throws(BrokerError) in try Self.loaded(&committed, path: path) }
    }

    func save(_ offsets: [TopicPartition: CommittedOffset], group: String) throws(BrokerError) {
        try committed.withLock { committed throws(BrokerError) in
            var all = try Self.loaded(&committed, path: path)
            all[group] = offsets.isEmpty ? nil : offsets
            try FileSystem.writeAtomically(path, GroupOffsetsFile.encode(all))
            committed = all
        }
    }

    private static func loaded(
        _ committed: inout [String: [TopicPartition: CommittedOffset]]?, path: String
    ) throws(BrokerError) -> [String: [TopicPartition: CommittedOffset]] {
        if let committed { return committed }
        let loaded = try FileSystem.read(path).map { bytes throws(BrokerError) in try GroupOffsetsFile.decode(bytes, path: path) } ?? [:]
        committed = loaded
        return loaded
    }
}
