import EventLabCore

/// The workspace's `format-version`: which layout its files follow, and the step that brings an
/// older layout up to this one.
///
/// Format 1 staged topic creations and deletions inside `topics/` under names starting with a
/// dot, and opening deleted every dot-entry there, though Kafka allows a topic called `.events`.
/// Format 2 stages them in `staging/`, outside the topic namespace. Format 3 writes topic
/// configs in Kafka's spelling, `-1` for no limit, where format 2 wrote `none`. Format 4 may
/// name `message.timestamp.type` in a topic config, which a format-3 reader refuses as unknown
/// and would call the topic damaged: the version tells it the workspace is newer instead.
/// Format-3 files read as they are, a missing config being its default. Format 5 stores each
/// committed offset's commit time and when each group became empty in `group-offsets`, and names
/// `min.cleanable.dirty.ratio`, `min.compaction.lag.ms` and `max.compaction.lag.ms` in topic
/// configs, and may hold a partition's `cleaner-offset-checkpoint`: lines and names a format-4
/// reader would call damaged. Format-4 files read as they are: their offsets count as committed
/// when the workspace opens, their topics take the cleaner's defaults.
///
/// Format 6 holds a cluster of brokers: each broker's topics and staging under
/// `brokers/<id>/`, where format 5 kept one broker's at the top, and the controller's image in
/// `cluster`; a format-5 reader would see an empty workspace. A format-5 workspace becomes broker
/// 1's (`topics/` and `staging/` move to `brokers/1/`), with no `cluster` file: without one, the
/// workspace is a cluster of one broker, id 1, hosting everything.
///
/// A new file that an older reader does not open keeps the version: the `flows` file (the
/// services and tables defined) came within format 5, an older EventLab leaves it alone, and a
/// workspace without it has none defined.
enum WorkspaceFormat {
    /// The version of the layout this code reads and writes.
    static let current = 6

    /// Checks, before anything is written, that `directory` may hold a workspace: it is new or
    /// empty, or it has a `format-version`, or it holds only what creating one writes first.
    ///
    /// - Throws: a storage error saying what `directory` is instead, and what to give.
    static func checkAdoptable(_ directory: String) throws(BrokerError) {
        guard !directory.isEmpty else {
            throw BrokerError(.kafkaStorageError, "the workspace directory is an empty path: give a directory, e.g. --data ./eventlab-data")
        }
        guard FileSystem.exists(directory) else { return }
        guard FileSystem.isDirectory(directory) else {
            throw BrokerError(.kafkaStorageError, "\(directory) is a file, not a directory: give --data a new or empty directory, or an EventLab workspace")
        }
        let entries = try FileSystem.list(directory)
        guard !entries.contains("format-version"), !entries.allSatisfy(Set(["lock", "format-version.tmp"]).contains) else { return }
        let shown = entries.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (entries.count > 3 ? ", …" : "")
        throw BrokerError(
            .kafkaStorageError,
            "\(directory) is not an EventLab workspace: it has no format-version file and holds \(entries.count) entr\(entries.count == 1 ? "y" : "ies") (\(shown)). "
                + "Nothing in it was touched; give --data a new or empty directory, or a workspace EventLab made")
    }

    /// Brings the workspace in `directory` (locked by the caller) to the current format: writes
    /// the version of a new one, migrates an older one, refuses one it cannot read.
    static func prepare(_ directory: String) throws(BrokerError) {
        let path = directory + "/format-version"
        guard let bytes = try FileSystem.read(path) else {
            return try FileSystem.writeAtomically(path, Array("\(current)\n".utf8))
        }
        let text = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard let version = Int(text), version >= 1 else {
            throw BrokerError(
                .kafkaStorageError,
                "\(path) holds '\(text.prefix(40))', not a format version: restore the file (this EventLab writes '\(current)'), or give --data another directory")
        }
        guard version <= current else {
            throw BrokerError(
                .kafkaStorageError,
                "\(directory) holds workspace format \(version), written by a newer EventLab; this one reads formats 1 to \(current): use that newer EventLab, or give --data another directory")
        }
        if version < 2 { try migrateFromVersion1(directory) }
        if version < 3 { try migrateFromVersion2(directory) }
        if version < 6 { try migrateFromVersion5(directory) }
        if version < current { try FileSystem.writeAtomically(directory + "/format-version", Array("\(current)\n".utf8)) }
    }

    /// Finishes or discards what format 1 left staged in `topics/`, then writes format 2 (a step
    /// interrupted part way is taken again whole).
    ///
    /// Only the exact names format 1 staged under are touched: `.creating` and `.deleted`, and
    /// the `.creating-NAME` and `.deleted-NAME` of its first release. Every other dot-entry is a
    /// topic. A staged creation never held records, so one that does is a topic of that name and
    /// stays; a staged deletion that holds records cannot be told from a topic of that name, so
    /// it is neither deleted nor opened, but named with the choice to make.
    private static func migrateFromVersion1(_ directory: String) throws(BrokerError) {
        let topics = directory + "/topics"
        if FileSystem.isDirectory(topics) {
            for entry in try FileSystem.list(topics) {
                let creating = entry == ".creating" || entry.hasPrefix(".creating-")
                let deleting = entry == ".deleted" || entry.hasPrefix(".deleted-")
                guard creating || deleting else { continue }
                let path = topics + "/" + entry
                if try !holdsRecords(path) {
                    try FileSystem.removeTree(path)
                } else if deleting {
                    throw BrokerError(
                        .kafkaStorageError,
                        "\(path) holds records: an older EventLab left it either as a topic being deleted or as a topic named '\(entry)'. "
                            + "Delete the directory to finish the deletion, or rename it to \(topics)/NEW-NAME to keep its records as topic NEW-NAME")
                }
            }
        }
        try FileSystem.writeAtomically(directory + "/format-version", Array("2\n".utf8))
    }

    /// Rewrites every topic's config file in Kafka's spelling, then writes format 3. Rewriting
    /// one twice changes nothing, so a step interrupted part way is taken again whole.
    private static func migrateFromVersion2(_ directory: String) throws(BrokerError) {
        let topics = directory + "/topics"
        if FileSystem.isDirectory(topics) {
            for entry in try FileSystem.list(topics) {
                let path = topics + "/" + entry + "/config"
                guard let bytes = try FileSystem.read(path) else { continue }
                let migrated = TopicConfigFile.migrateFromFormat2(bytes)
                if migrated != bytes { try FileSystem.writeAtomically(path, migrated) }
            }
        }
        try FileSystem.writeAtomically(directory + "/format-version", Array("3\n".utf8))
    }

    /// Moves format 5's `topics/` and `staging/` to broker 1's directory, `brokers/1/`, and syncs
    /// the directories; `prepare` then writes the version. Each move is one rename, so a step
    /// interrupted part way is taken again whole: what moved is found moved, what did not is
    /// moved. Where both the old and the new place exist, nothing is merged unchecked: opening
    /// is refused, naming both.
    private static func migrateFromVersion5(_ directory: String) throws(BrokerError) {
        let broker = directory + "/" + Workspace.brokerDirectory(1)
        try FileSystem.createDirectory(broker)
        for name in ["topics", "staging"] {
            let old = directory + "/" + name
            let new = broker + "/" + name
            guard FileSystem.exists(old) else { continue }
            if FileSystem.exists(new) {
                throw BrokerError(
                    .kafkaStorageError,
                    "\(directory) holds both \(old) (workspace format 5) and \(new) (format 6), and EventLab will not merge them unchecked: "
                        + "keep the one you want, move the other out of the workspace, and open it again")
            }
            try FileSystem.rename(old, to: new)
        }
        try FileSystem.syncDirectory(broker)
        try FileSystem.syncDirectory(directory + "/brokers")
        try FileSystem.syncDirectory(directory)
    }

    /// Whether any segment (or compacted segment waiting to replace one) under `path` has bytes.
    private static func holdsRecords(_ path: String) throws(BrokerError) -> Bool {
        guard FileSystem.isDirectory(path) else { return false }
        for name in try FileSystem.list(path) {
            let child = path + "/" + name
            if FileSystem.isDirectory(child) {
                if try holdsRecords(child) { return true }
            } else if name.hasSuffix(".log") || name.hasSuffix(".cleaned"), FileSystem.size(child) ?? 0 > 0 {
                return true
            }
        }
        return false
    }
}
