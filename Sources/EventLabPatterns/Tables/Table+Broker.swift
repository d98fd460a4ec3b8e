import EventLabCore

extension Table {
    /// Records a rebuild asks the broker for at a time: whole batches of them, decoded once.
    static let readRecords = 10_000
    /// Bytes a rebuild asks the broker for at a time.
    static let readBytes = 1 << 20

    /// A table named `name` built from `topic` read from each partition's log start to its end.
    public static func rebuild(_ name: String, from topic: String, in broker: Broker) throws(BrokerError) -> (table: Table, report: TableReadReport) {
        var table = Table(name: name, topic: topic)
        let report = try table.catchUp(from: broker)
        return (table, report)
    }

    /// Reads every partition of the topic from the table's position to the end and applies what
    /// it reads; a partition never read starts at its log start, and so does one whose position
    /// retention has since deleted.
    ///
    /// - Throws: the broker's error for an unknown topic or a failed read, and
    ///   `OFFSET_OUT_OF_RANGE` when the table has read past a partition's end (the topic was
    ///   created again); partitions read before the failure stay applied, each up to its last
    ///   record read.
    @discardableResult
    public mutating func catchUp(from broker: Broker) throws(BrokerError) -> TableReadReport {
        let description = try broker.describeTopic(topic)
        var report = TableReadReport()
        report.topicIsCompacted = description.config.cleanupPolicy.contains(.compact)
        for partition in description.partitions {
            try catchUp(partition.index, from: broker, into: &report)
        }
        report.keysKept = count
        return report
    }

    private mutating func catchUp(_ partition: Int32, from broker: Broker, into report: inout TableReadReport) throws(BrokerError) {
        let offsets = try broker.offsets(topic, partition: partition)
        let position = positions[partition] ?? offsets.logStartOffset
        guard position <= offsets.logEndOffset else {
            throw BrokerError(
                .offsetOutOfRange,
                "table '\(name)' has read partition \(partition) of '\(topic)' up to offset \(position), but the partition ends at \(offsets.logEndOffset): the topic was deleted and created again since; rebuild the table from it")
        }
        let start = max(position, offsets.logStartOffset)
        report.deletedUnread += start - position
        advance(partition: partition, to: start)
        var next = start
        var read: Int64 = 0
        while next < offsets.logEndOffset {
            let records = try broker.read(topic, partition: partition, from: next, maxRecords: Self.readRecords, maxBytes: Self.readBytes)
            guard let last = records.last else { break }
            for record in records {
                switch apply(record, partition: partition) {
                case .stored: report.valuesStored += 1
                case .deleted: report.tombstones += 1
                case .skipped(let reason): report.skipped[reason, default: 0] += 1
                case .alreadyApplied: continue
                }
                read += 1
            }
            next = last.offset + 1
        }
        // An empty read below the end means the offsets left hold no record any more.
        advance(partition: partition, to: offsets.logEndOffset)
        report.recordsRead += Int(read)
        report.compactedAway += max(next, offsets.logEndOffset) - start - read
    }

    /// How far behind `broker`'s copy of the topic the table is.
    public func staleness(in broker: Broker) throws(BrokerError) -> TableStaleness {
        var ends: [PartitionEnd] = []
        for partition in try broker.describeTopic(topic).partitions {
            let last = partition.logEndOffset > partition.logStartOffset
                ? try broker.read(topic, partition: partition.index, from: partition.logEndOffset - 1, maxRecords: 1).last
                : nil
            ends.append(PartitionEnd(
                partition: partition.index, logStartOffset: partition.logStartOffset,
                logEndOffset: partition.logEndOffset, lastTimestamp: last?.timestamp))
        }
        return staleness(ends)
    }
}
