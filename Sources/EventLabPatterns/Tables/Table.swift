import EventLabCore

/// A local replica of a topic: the last value per key, tombstones deleting their key, and per
/// partition the offset it has read up to — event-carried state transfer's copy of the data.
///
/// A pure value: records go in through ``apply(_:partition:)`` in offset order per partition,
/// and nothing here reads the broker. Records below the position are ignored, so replaying a
/// partition from a committed position after a restart leaves the table as it was.
public struct Table: Sendable {
    /// The table's name.
    public let name: String
    /// The topic it replicates.
    public let topic: String
    /// Per partition, the offset of the next record to read: everything below has been applied.
    public private(set) var positions: [Int32: Int64] = [:]
    /// Records left out, by reason; they still count as read.
    public private(set) var skipped: [TableSkip: Int] = [:]
    /// Per partition, the timestamp of the last record read, applied or skipped.
    public private(set) var lastTimestamps: [Int32: Int64] = [:]
    private var values: [TableKey: StoredValue] = [:]

    /// An empty table of `topic` that has read nothing.
    public init(name: String, topic: String) {
        self.name = name
        self.topic = topic
    }

    /// How many keys the table holds.
    public var count: Int { values.count }

    /// The value of `key`, or nil when the table does not hold it.
    public func get(_ key: [UInt8]) -> TableEntry? {
        values[TableKey(key[...])].map { entry(TableKey(key[...]), $0) }
    }

    /// The value of the key with these UTF-8 bytes, or nil when the table does not hold it.
    public func get(_ key: String) -> TableEntry? {
        get(Array(key.utf8))
    }

    /// Every entry, sorted by key bytes, so the same records always list the same way.
    public var entries: [TableEntry] {
        values.sorted { $0.key < $1.key }.map { entry($0.key, $0.value) }
    }

    /// Applies one record read from `partition`: a value replaces its key's, a tombstone deletes
    /// its key, a record without a key is skipped and counted; the position moves past it.
    @discardableResult
    public mutating func apply(_ record: Record, partition: Int32) -> TableChange {
        if let position = positions[partition], record.offset < position { return .alreadyApplied }
        positions[partition] = record.offset + 1
        lastTimestamps[partition] = record.timestamp
        guard let key = record.key else {
            skipped[.noKey, default: 0] += 1
            return .skipped(.noKey)
        }
        let lookup = TableKey(key)
        guard let value = record.value else {
            return .deleted(existed: values.removeValue(forKey: lookup) != nil)
        }
        if let index = values.index(forKey: lookup) {
            values.values[index].replace(value, partition: partition, record: record)
            return .stored(added: false)
        }
        values[lookup.owned] = StoredValue(
            value: Array(value), partition: partition, offset: record.offset, timestamp: record.timestamp, headers: record.headers)
        return .stored(added: true)
    }

    /// Records that the table has read `partition` up to `offset` though no record there was
    /// applied: the offsets in between hold none any more (compaction removed them).
    public mutating func advance(partition: Int32, to offset: Int64) {
        if offset > positions[partition] ?? .min { positions[partition] = offset }
    }

    private func entry(_ key: TableKey, _ stored: StoredValue) -> TableEntry {
        TableEntry(
            key: Array(key.bytes), value: stored.value, partition: stored.partition,
            offset: stored.offset, timestamp: stored.timestamp, headers: stored.headers)
    }
}
