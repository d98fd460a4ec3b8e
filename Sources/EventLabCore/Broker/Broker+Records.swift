/// What a network Fetch returns for one partition.
public struct FetchResult: Sendable {
    /// Whole stored batches, the first holding the requested offset, as bytes read only when sent.
    public var records: [any StoredBytes]
    /// The first offset a consumer may read.
    public var logStartOffset: Int64
    /// The log-end offset (high watermark; also the last stable offset: there are no transactions).
    public var highWatermark: Int64

    /// The size of `records` in bytes.
    public var recordBytes: Int { records.reduce(0) { $0 + $1.count } }

    /// The batches in `records`, read and checked (CRC included): for tests and tools.
    public func batches() throws(BrokerError) -> [RecordBatch] {
        var result: [RecordBatch] = []
        for stored in records {
            let bytes = try stored.bytes()
            var start = 0
            while start + RecordBatch.logOverhead <= bytes.count {
                let length = bytes[start + 8..<start + 12].reduce(0) { $0 << 8 | Int($1) }
                let end = min(bytes.count, start + RecordBatch.logOverhead + length)
                result.append(try RecordBatch(validating: bytes[start..<end]))
                start = end
            }
        }
        return result
    }
}

/// A partition's first readable offset and the offset its next record will get.
public struct PartitionOffsets: Hashable, Sendable {
    /// The first offset a consumer may read.
    public var logStartOffset: Int64
    /// The offset the next record will get.
    public var logEndOffset: Int64
}

extension Broker {
    /// Appends records to `topic` as one send of a producer: each goes to its explicit
    /// partition, its key's partition, or where `unkeyed` puts a record without a key; records
    /// for one partition go in one batch, in the given order.
    ///
    /// - Returns: the partition and offset of each record, in the given order.
    /// - Throws: before anything is appended (the partitioner's state included) — an unknown
    ///   topic or partition, a timestamp below -1, a batch over `max.message.bytes`, or a
    ///   keyless record on a compacted topic.
    public func publish(
        _ topicName: String, _ records: [ProducerRecord], unkeyed: UnkeyedPartitioning = .sticky
    ) throws(BrokerError) -> [RecordPosition] {
        guard !records.isEmpty else { return [] }
        let now = clock.now()
        let (positions, callbacks) = try state.withLock { state throws(BrokerError) in
            let (name, topic) = try state.topic(topicName)
            let count = Int32(topic.partitions.count)
            var partitioner = topic.partitioner
            var random = state.random
            var chosen: [Int32] = []
            // Each partition's batch so far, for the bytes a record adds to it.
            var batchSoFar: [Int32: (records: Int64, firstTimestamp: Int64)] = [:]
            for record in records {
                let partition = partitioner.partition(for: record, count: count, unkeyed: unkeyed, random: &random)
                guard (0..<count).contains(partition) else { throw .unknownPartition(topicName, partition, count: Int(count)) }
                chosen.append(partition)
                let timestamp = record.timestamp ?? now
                let batch = batchSoFar[partition] ?? (0, timestamp)
                partitioner.appended(
                    record,
                    bytes: Record(offset: batch.records, timestamp: timestamp, key: record.key, value: record.value, headers: record.headers)
                        .sizeInBatch(baseOffset: 0, baseTimestamp: batch.firstTimestamp) + (batch.records == 0 ? RecordBatch.headerSize : 0),
                    count: count, unkeyed: unkeyed, random: &random)
                batchSoFar[partition] = (batch.records + 1, batch.firstTimestamp)
            }
            var batches: [(Int32, RecordBatch, [Int])] = []
            for partition in Set(chosen).sorted() {
                let indexes = chosen.indices.filter { chosen[$0] == partition }
                let members = indexes.enumerated().map { delta, index in
                    let record = records[index]
                    return Record(offset: Int64(delta), timestamp: record.timestamp ?? now,
                                  key: record.key, value: record.value, headers: record.headers)
                }
                let batch = RecordBatch(records: members)
                try topic.partitions[Int(partition)].check(batch, config: topic.config)
                batches.append((partition, batch, indexes))
            }
            var positions = [RecordPosition](repeating: RecordPosition(partition: 0, offset: 0), count: records.count)
            var callbacks: [@Sendable () -> Void] = []
            for (partition, batch, indexes) in batches {
                let log = topic.partitions[Int(partition)]
                let base = try log.append(checked: batch, config: topic.config, now: now)
                for (delta, index) in indexes.enumerated() {
                    positions[index] = RecordPosition(partition: partition, offset: base + Int64(delta))
                }
                callbacks += state.waiters.takeData(topic: topicName, partition: partition, logEndOffset: log.logEndOffset)
            }
            state.topics[name]!.partitioner = partitioner
            state.random = random
            return (positions, callbacks)
        }
        callbacks.forEach { $0() }
        return positions
    }

    /// Where `topic`'s unkeyed records go next under the sticky rule, and how many bytes have
    /// gone there.
    ///
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION` if there is no such topic.
    public func stickyPartitioner(_ topicName: String) throws(BrokerError) -> StickyPartitioner {
        try state.withLock { state throws(BrokerError) in try state.topic(topicName).1.partitioner.sticky }
    }

    /// Appends a producer's batch as it is, rewriting only its base offset and its timestamp
    /// header (``PartitionLog/append(checked:config:now:)`` says how): the network path.
    /// A batch from an idempotent producer that was appended before (a retry after a lost
    /// acknowledgement) is not appended again; its first offset is returned instead.
    ///
    /// `sentBytes` is the batch's size as the producer sent it, for a compressed batch made plain:
    /// `max.message.bytes` applies to that size, as in Kafka.
    ///
    /// - Returns: the offset of the batch's first record.
    /// - Throws: what ``PartitionLog/check(_:config:sentBytes:)`` throws; `OUT_OF_ORDER_SEQUENCE_NUMBER`
    ///   or `INVALID_PRODUCER_EPOCH` for an idempotent producer's batch that does not follow its last.
    public func append(_ batch: RecordBatch, topic topicName: String, partition: Int32, sentBytes: Int? = nil) throws(BrokerError) -> Int64 {
        let now = clock.now()
        let (base, callbacks) = try state.withLock { state throws(BrokerError) in
            let (topic, log) = try state.partition(topicName, partition)
            // Checked before the producer's sequence, as Kafka validates a batch before its
            // producer state: a batch that lies about its records is refused, never matched.
            let checked = try log.check(batch, config: topic.config, sentBytes: sentBytes)
            var producers = topic.producers[partition] ?? ProducerState()
            if case .duplicate(let base) = try producers.verdict(for: checked) { return (base, [@Sendable () -> Void]()) }
            var placed = checked
            placed.baseOffset = try log.append(checked: checked, config: topic.config, now: now)
            if batch.producerId >= 0 {
                producers.record(placed)
                state.topics[try TopicName(topicName)]!.producers[partition] = producers
            }
            return (placed.baseOffset, state.waiters.takeData(topic: topicName, partition: partition, logEndOffset: log.logEndOffset))
        }
        callbacks.forEach { $0() }
        return base
    }

    /// A new idempotent producer's id, never handed out before by this broker — nor, with the
    /// system clock, in an earlier run, as ids start from the clock's milliseconds times 1024.
    public func newProducerId() -> Int64 {
        let now = clock.now()
        return state.withLock { state in
            let id = max(state.nextProducerId, now &* 1024)
            state.nextProducerId = id + 1
            return id
        }
    }

    /// Decoded records of one partition from `offset`: at most `maxRecords`, about `maxBytes`.
    public func read(
        _ topic: String, partition: Int32, from offset: Int64, maxRecords: Int = 500, maxBytes: Int = .max
    ) throws(BrokerError) -> [Record] {
        try state.withLock { state throws(BrokerError) in
            try state.partition(topic, partition).1.records(from: offset, maxRecords: maxRecords, maxBytes: maxBytes)
        }
    }

    /// Whole batches of one partition from `offset`, as a network Fetch sends them.
    public func fetch(_ topic: String, partition: Int32, from offset: Int64, maxBytes: Int) throws(BrokerError) -> FetchResult {
        try state.withLock { state throws(BrokerError) in
            let log = try state.partition(topic, partition).1
            return FetchResult(
                records: try log.storedBytes(from: offset, maxBytes: maxBytes),
                logStartOffset: log.logStartOffset, highWatermark: log.logEndOffset)
        }
    }

    /// The earliest and latest offsets of one partition.
    public func offsets(_ topic: String, partition: Int32) throws(BrokerError) -> PartitionOffsets {
        try state.withLock { state throws(BrokerError) in
            let log = try state.partition(topic, partition).1
            return PartitionOffsets(logStartOffset: log.logStartOffset, logEndOffset: log.logEndOffset)
        }
    }

    /// The first offset of one partition whose timestamp is at or after `timestamp`, or nil.
    public func offset(_ topic: String, partition: Int32, atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        try state.withLock { state throws(BrokerError) in
            try state.partition(topic, partition).1.offset(atOrAfter: timestamp)
        }
    }
}
