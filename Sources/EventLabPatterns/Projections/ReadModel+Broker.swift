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
    /// The partition's first offset still held: retention deleted those below it.
    public var logStartOffset: Int64
    /// The offset the partition's next record will get.
    public var logEndOffset: Int64

    /// Where the read model reads on: its position, or the log start when retention deleted
    /// the records from its position on.
    public var readsFrom: Int64 { max(position, logStartOffset) }

    /// Records the partition still holds that the read model has not applied: those retention
    /// deleted are not there to read.
    public var behind: Int64 { max(0, logEndOffset - readsFrom) }

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
        var trace = ProjectionTrace(budget: 0)
        return try catchUp(from: broker, trace: &trace)
    }

    /// ``catchUp(from:)``, reading each partition only below `ends[partition]` when `ends` is
    /// given (a partition it does not name is not read), and describing records in `trace`.
    @discardableResult
    public mutating func catchUp(
        from broker: Broker, upTo ends: [SourcePartition: Int64]? = nil, trace: inout ProjectionTrace
    ) throws(BrokerError) -> Int {
        var read = 0
        for source in try sourcePartitions(in: broker) {
            if let ends, ends[source] == nil { continue }
            read += try catchUp(source, from: broker, upTo: ends?[source], limit: .max, trace: &trace)
        }
        return read
    }

    /// Applies the next record of the first source partition, by topic and partition, that has
    /// one unread; false when none has.
    public mutating func step(from broker: Broker, trace: inout ProjectionTrace) throws(BrokerError) -> Bool {
        for source in try sourcePartitions(in: broker) where try catchUp(source, from: broker, upTo: nil, limit: 1, trace: &trace) > 0 {
            return true
        }
        return false
    }

    /// Every partition of the source topics, in the order the sources are named.
    func sourcePartitions(in broker: Broker) throws(BrokerError) -> [SourcePartition] {
        var sources: [SourcePartition] = []
        for topic in projection.sources {
            for partition in try broker.describeTopic(topic).partitions {
                sources.append(SourcePartition(topic: topic, partition: partition.index))
            }
        }
        return sources
    }

    /// Reads `source` from the position on, below `limit` (the log end when nil) and at most
    /// `count` records; returns how many it read.
    private mutating func catchUp(
        _ source: SourcePartition, from broker: Broker, upTo limit: Int64?, limit count: Int, trace: inout ProjectionTrace
    ) throws(BrokerError) -> Int {
        let offsets = try broker.offsets(source.topic, partition: source.partition)
        let position = positions[source] ?? offsets.logStartOffset
        guard position <= offsets.logEndOffset else {
            throw BrokerError(
                .offsetOutOfRange,
                "projection '\(projection.name)' has read partition \(source.partition) of '\(source.topic)' up to offset \(position), but the partition ends at \(offsets.logEndOffset): the topic was deleted and created again since; rebuild the projection")
        }
        let end = min(limit ?? offsets.logEndOffset, offsets.logEndOffset)
        var next = max(position, offsets.logStartOffset)
        advance(source, to: min(next, end))
        var read = 0
        reading: while next < end {
            let records = try broker.read(
                source.topic, partition: source.partition, from: next,
                maxRecords: min(Projection.readRecords, count - read), maxBytes: Projection.readBytes)
            guard !records.isEmpty else { break }
            for index in records.indices {
                guard records[index].offset < end else { break reading }
                if trace.describesNext {
                    var note: ProjectionNote? = ProjectionNote()
                    let change = apply(records[index], from: source, note: &note)
                    trace.take(projection.name, change, note?.step(projection.name, records[index], from: source, change))
                } else {
                    trace.take(projection.name, apply(records[index], from: source), nil)
                }
                read += 1
                next = records[index].offset + 1
                // A step stops at its one record: the offsets after it are not known to be empty.
                if read == count { return read }
            }
        }
        // An empty read below the end means the offsets left hold no record any more.
        advance(source, to: end)
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
                    source: source, position: positions[source] ?? partition.logStartOffset,
                    logStartOffset: partition.logStartOffset, logEndOffset: partition.logEndOffset))
            }
        }
        return lags
    }
}
