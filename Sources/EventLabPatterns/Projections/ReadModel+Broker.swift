import EventLabCore

extension Projection {
    /// Records a catch-up asks the broker for at a time: whole batches of them, decoded once.
    static let readRecords = 10_000
    /// Bytes a catch-up asks the broker for at a time.
    static let readBytes = 1 << 20

    /// A new read model built from every source partition's log start to its end: the log
    /// replayed under the rules as they are now.
    public func rebuild(from broker: Broker) throws(BrokerError) -> ReadModel {
        var model = ReadModel(self)
        try model.catchUp(from: broker)
        return model
    }
}

/// How far behind its source partition a read model is: the consistency window a query shows.
public struct PartitionLag: Sendable, Equatable, CustomStringConvertible {
    public var source: SourcePartition
    /// The offset of the next record the read model applies.
    public var position: Int64
    /// The offset the partition's next record will get.
    public var logEndOffset: Int64

    /// Records written that the read model has not applied.
    public var behind: Int64 { max(0, logEndOffset - position) }

    /// `orders/0 at 12 of 15 (3 behind)`.
    public var description: String { "\(source) at \(position) of \(logEndOffset) (\(behind) behind)" }
}

extension ReadModel {
    /// Reads every partition of the source topics from the read model's position to the end and
    /// applies what it reads; a partition never read starts at its log start, and so does one
    /// whose position retention has since deleted. Returns how many records it read.
    ///
    /// - Throws: the broker's error for an unknown topic or a failed read, and
    ///   `OFFSET_OUT_OF_RANGE` when the read model has read past a partition's end (the topic was
    ///   created again); partitions read before the failure stay applied.
    @discardableResult
    public mutating func catchUp(from broker: Broker) throws(BrokerError) -> Int {
        var read = 0
        for topic in projection.sources {
            for partition in try broker.describeTopic(topic).partitions {
                read += try catchUp(SourcePartition(topic: topic, partition: partition.index), from: broker)
            }
        }
        return read
    }

    private mutating func catchUp(_ source: SourcePartition, from broker: Broker) throws(BrokerError) -> Int {
        let offsets = try broker.offsets(source.topic, partition: source.partition)
        let position = positions[source] ?? offsets.logStartOffset
        guard position <= offsets.logEndOffset else {
            throw BrokerError(
                .offsetOutOfRange,
                "projection '\(projection.name)' has read partition \(source.partition) of '\(source.topic)' up to offset \(position), but the partition ends at \(offsets.logEndOffset): the topic was deleted and created again since; rebuild the projection")
        }
        var next = max(position, offsets.logStartOffset)
        advance(source, to: next)
        var read = 0
        while next < offsets.logEndOffset {
            let records = try broker.read(
                source.topic, partition: source.partition, from: next,
                maxRecords: Projection.readRecords, maxBytes: Projection.readBytes)
            guard let last = records.last else { break }
            for index in records.indices { apply(records[index], from: source) }
            read += records.count
            next = last.offset + 1
        }
        // An empty read below the end means the offsets left hold no record any more.
        advance(source, to: offsets.logEndOffset)
        return read
    }

    /// Per partition of the source topics, in order, how far behind `broker`'s log the read model
    /// is; a partition never read counts from its log start.
    public func lag(in broker: Broker) throws(BrokerError) -> [PartitionLag] {
        var lags: [PartitionLag] = []
        for topic in projection.sources {
            for partition in try broker.describeTopic(topic).partitions {
                let source = SourcePartition(topic: topic, partition: partition.index)
                lags.append(PartitionLag(
                    source: source, position: positions[source] ?? partition.logStartOffset, logEndOffset: partition.logEndOffset))
            }
        }
        return lags
    }
}
