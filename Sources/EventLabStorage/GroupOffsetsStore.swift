import EventLabCore
import Synchronization

/// The workspace's `group-offsets` file, kept whole: each save rewrites it with every group's
/// offsets. Saves come from any thread, outside the broker's lock, and take turns here, each
/// starting from what the last one wrote, so no group's commit is lost to another's.
final class GroupOffsetsStore: CommittedOffsetsStorage {
    let path: String
    /// What the file holds, once read.
    private let committed = Mutex<[String: StoredGroupOffsets]?>(nil)

    init(path: String) {
        self.path = path
    }

    func load() throws(BrokerError) -> [String: StoredGroupOffsets] {
        try committed.withLock { committed throws(BrokerError) in try Self.loaded(&committed, path: path) }
    }

    func save(_ stored: StoredGroupOffsets, group: String) throws(BrokerError) {
        try committed.withLock { committed throws(BrokerError) in
            var all = try Self.loaded(&committed, path: path)
            all[group] = stored.offsets.isEmpty ? nil : stored
            try FileSystem.writeAtomically(path, GroupOffsetsFile.encode(all))
            committed = all
        }
    }

    private static func loaded(
        _ committed: inout [String: StoredGroupOffsets]?, path: String
    ) throws(BrokerError) -> [String: StoredGroupOffsets] {
        if let committed { return committed }
        let loaded = try FileSystem.read(path).map { bytes throws(BrokerError) in try GroupOffsetsFile.decode(bytes, path: path) } ?? [:]
        committed = loaded
        return loaded
    }
}
