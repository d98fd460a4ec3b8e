/// Where one partition of a topic stands: what a table's position is compared with.
public struct PartitionEnd: Hashable, Sendable {
    /// The partition's index.
    public var partition: Int32
    /// The first offset a consumer may read.
    public var logStartOffset: Int64
    /// The offset the next record will get.
    public var logEndOffset: Int64
    /// The timestamp of the partition's last record, or nil when it holds none.
    public var lastTimestamp: Int64?

    /// A partition's offsets and the time of its last record.
    public init(partition: Int32, logStartOffset: Int64, logEndOffset: Int64, lastTimestamp: Int64?) {
        self.partition = partition
        self.logStartOffset = logStartOffset
        self.logEndOffset = logEndOffset
        self.lastTimestamp = lastTimestamp
    }
}

/// How far behind its topic a table is: the copy event-carried state transfer keeps can be stale.
public struct TableStaleness: Hashable, Sendable {
    /// One partition's gap between the table and the topic.
    public struct Partition: Hashable, Sendable {
        /// The partition's index.
        public var partition: Int32
        /// The offset the table reads next: at the log start or past it.
        public var position: Int64
        /// The partition's first offset still held: retention deleted those below it.
        public var logStartOffset: Int64
        /// The offset the topic's next record will get.
        public var logEndOffset: Int64
        /// The readable records the table has not read yet.
        public var recordsBehind: Int64
        /// The timestamp of the last record the table read here, or nil before it read one.
        public var lastRead: Int64?
        /// The timestamp of the partition's last record, or nil when it holds none.
        public var lastInTopic: Int64?
    }

    /// Every partition of the topic, by index.
    public var partitions: [Partition]

    /// The records the table has not read yet, over all partitions.
    public var recordsBehind: Int64 { partitions.reduce(0) { $0 + $1.recordsBehind } }

    /// The newest timestamp among the last records the table read, or nil before it read one.
    public var lastRead: Int64? { partitions.compactMap(\.lastRead).max() }

    /// The newest timestamp among the topic's last records, or nil when it holds none.
    public var lastInTopic: Int64? { partitions.compactMap(\.lastInTopic).max() }

    /// How much older the table's newest record is than the topic's: 0 when it has read
    /// everything; nil when it is behind and has read nothing to compare with.
    public var millisecondsBehind: Int64? {
        guard recordsBehind > 0 else { return 0 }
        guard let lastRead, let lastInTopic else { return nil }
        return max(0, lastInTopic - lastRead)
    }
}

extension Table {
    /// How far behind the topic whose partitions end at `ends` the table is.
    public func staleness(_ ends: [PartitionEnd]) -> TableStaleness {
        TableStaleness(
            partitions: ends.sorted { $0.partition < $1.partition }.map { end in
                let position = max(positions[end.partition] ?? end.logStartOffset, end.logStartOffset)
                return TableStaleness.Partition(
                    partition: end.partition, position: position, logStartOffset: end.logStartOffset, logEndOffset: end.logEndOffset,
                    recordsBehind: max(0, end.logEndOffset - position),
                    lastRead: lastTimestamps[end.partition], lastInTopic: end.lastTimestamp)
            })
    }
}
