import Dispatch

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

/// Where a producer's batch landed, and the time the broker stamped on it.
public struct AppendedBatch: Hashable, Sendable {
    /// The offset of the batch's first record.
    public var baseOffset: Int64
    /// The broker clock's time stamped on the batch under LogAppendTime; nil under CreateTime,
    /// and for a retried batch that was not appended again.
    public var logAppendTime: Int64?
    /// The offset of the batch's last record: an acks=all write is acknowledged once the high
    /// watermark passes it.
    public var lastOffset: Int64
    /// The epoch of the leader that appended it (or holds it, for a retried batch).
    public var leaderEpoch: Int32
}

extension Broker {
    /// Appends records to `topic` as one send of a producer: each goes to its explicit
    /// partition, its key's partition, or where `unkeyed` puts a record without a key; records
    /// for one partition go in one batch, in the given order.
    ///
    /// Batches the flush policy syncs are synced after the broker's lock is released, and this
    /// returns once they are (see ``append(_:topic:partition:sentBytes:)``).
    ///
    /// - Returns: the partition and offset of each record, in the given order.
    /// With `acks` all, a partition whose in-sync set is smaller than its `min.insync.replicas`
    /// refuses the write; ``acknowledgement(_:partition:through:)`` says when the others have it.
    ///
    /// - Throws: before anything is appended (the partitioner's state included) — an unknown
    ///   topic or partition, a partition with no leader (LEADER_NOT_AVAILABLE), too few in-sync
    ///   replicas for acks=all (NOT_ENOUGH_REPLICAS), a timestamp below -1, a batch over
    ///   `max.message.bytes`, or a keyless record on a compacted topic; the storage's error for
    ///   a failed write or sync, with that partition's batch not appended.
    public func publish(
        _ topicName: String, _ records: [ProducerRecord], unkeyed: UnkeyedPartitioning = .sticky, acks: Acks = .all
    ) throws(BrokerError) -> [RecordPosition] {
        guard !records.isEmpty else { return [] }
        let now = clock.now()
        while true {
            let step = try state.withLock { state throws(BrokerError) -> PublishStep in
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
                    let replicated = topic.partitions[Int(partition)]
                    guard replicated.leader != nil else { throw .offline(replicated) }
                    if acks == .all { try replicated.checkEnoughInSync(config: topic.config) }
                    try replicated.log.check(batch, config: topic.config)
                    batches.append((partition, batch, indexes))
                }
                for (partition, _, _) in batches {
                    if let turn = state.syncing.wait(for: TopicPartition(topicName, partition)) { return .wait(turn) }
                }
                var positions = [RecordPosition](repeating: RecordPosition(partition: 0, offset: 0), count: records.count)
                var callbacks: [@Sendable () -> Void] = []
                var unsynced: [(WrittenBatch, PendingSync)] = []
                for (partition, batch, indexes) in batches {
                    let key = TopicPartition(topicName, partition)
                    let base: Int64
                    let sync: PendingSync?
                    do throws(BrokerError) {
                        (base, sync) = try state.appendToLeader(batch, name, partition, now: now, dirtyExpireMs: config.dirtyExpireMs)
                    } catch {
                        // The batches already written still finish (or are cut back) outside the lock.
                        return .written(positions, callbacks, unsynced, error)
                    }
                    for (delta, index) in indexes.enumerated() {
                        positions[index] = RecordPosition(partition: partition, offset: base + Int64(delta))
                    }
                    let written = WrittenBatch(partition: key, producers: nil)
                    if let sync {
                        state.syncing.take(key)
                        unsynced.append((written, sync))
                    } else {
                        callbacks += state.appended(written)
                    }
                }
                state.topics[name]!.partitioner = partitioner
                state.random = random
                return .written(positions, callbacks, unsynced, nil)
            }
            switch step {
            case .wait(let turn):
                turn.wait()
            case .written(let positions, let callbacks, let unsynced, let failure):
                callbacks.forEach { $0() }
                let synced = finish(unsynced)
                followersFetch()
                if let failure { throw failure }
                try synced.get()
                return positions
            }
        }
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
    /// When the flush policy syncs this batch, the sync runs after the broker's lock is released
    /// (other partitions and requests go on meanwhile) and this returns once it succeeded: only
    /// then do reads, offsets and waiters see the batch. A failed sync cuts the batch back off.
    ///
    /// - Returns: the offset of the batch's first record.
    /// - Throws: what ``PartitionLog/check(_:config:sentBytes:)`` throws; `OUT_OF_ORDER_SEQUENCE_NUMBER`
    ///   or `INVALID_PRODUCER_EPOCH` for an idempotent producer's batch that does not follow its
    ///   last; the storage's error for a failed write or sync, with nothing appended.
    @discardableResult
    public func append(_ batch: RecordBatch, topic topicName: String, partition: Int32, sentBytes: Int? = nil) throws(BrokerError) -> Int64 {
        try appendBatch(batch, topic: topicName, partition: partition, sentBytes: sentBytes).baseOffset
    }

    /// ``append(_:topic:partition:sentBytes:)``, also saying the time the broker stamped on the
    /// batch, which a Produce answer carries as `log_append_time_ms`, and where it ends.
    ///
    /// - Parameters:
    ///   - acks: `.all` refuses the batch with `NOT_ENOUGH_REPLICAS` before it is appended when
    ///     the partition has fewer in-sync replicas than `min.insync.replicas`, as Kafka does.
    ///   - node: the broker the producer sent it to, if it must lead the partition: another
    ///     leader refuses it with `NOT_LEADER_OR_FOLLOWER`, checked with the append, atomically.
    public func appendBatch(
        _ batch: RecordBatch, topic topicName: String, partition: Int32, sentBytes: Int? = nil, acks: Acks = .leader, sentTo node: Int32? = nil
    ) throws(BrokerError) -> AppendedBatch {
        let now = clock.now()
        let key = TopicPartition(topicName, partition)
        while true {
            let step = try state.withLock { state throws(BrokerError) -> AppendStep in
                if let node { try state.checkLeads(node, topicName, partition) }
                let (topic, replicated) = try state.leading(topicName, partition)
                let log = replicated.log
                if let turn = state.syncing.wait(for: key) { return .wait(turn) }
                // As Kafka's Partition.appendRecordsToLeader: too few in sync refuses an acks=all
                // batch before the batch is even looked at.
                if acks == .all { try replicated.checkEnoughInSync(config: topic.config) }
                // Checked before the producer's sequence, as Kafka validates a batch before its
                // producer state: a batch that lies about its records is refused, never matched.
                let checked = try log.check(batch, config: topic.config, sentBytes: sentBytes)
                let leader = replicated.leader!
                let name = try TopicName(topicName)
                var producers = state.topics[name]!.partitions[Int(partition)].producers(of: leader)
                if case .duplicate(let base) = try producers.verdict(for: checked) {
                    return .done(AppendedBatch(
                        baseOffset: base, logAppendTime: nil, lastOffset: base + Int64(checked.lastOffsetDelta),
                        leaderEpoch: replicated.leaderEpoch), [])
                }
                var placed = checked
                let sync: PendingSync?
                (placed.baseOffset, sync) = try state.appendToLeader(checked, name, partition, now: now, dirtyExpireMs: config.dirtyExpireMs)
                if checked.producerId >= 0 { producers.record(placed) }
                let written = WrittenBatch(partition: key, producers: checked.producerId >= 0 ? (leader, producers) : nil)
                let appended = AppendedBatch(
                    baseOffset: placed.baseOffset, logAppendTime: topic.config.messageTimestampType == .logAppendTime ? now : nil,
                    lastOffset: placed.baseOffset + Int64(checked.lastOffsetDelta), leaderEpoch: replicated.leaderEpoch)
                guard let sync else { return .done(appended, state.appended(written)) }
                state.syncing.take(key)
                return .sync(appended, written, sync)
            }
            switch step {
            case .wait(let turn):
                turn.wait()
            case .done(let appended, let callbacks):
                callbacks.forEach { $0() }
                followersFetch()
                return appended
            case .sync(let appended, let written, let sync):
                try finish([(written, sync)]).get()
                followersFetch()
                return appended
            }
        }
    }

    /// Runs the syncs of batches written under the lock, outside it, then under it makes each
    /// that succeeded part of the log and cuts back each that failed; wakes the waiters.
    func finish(_ written: [(WrittenBatch, PendingSync)]) -> Result<Void, BrokerError> {
        let synced = written.map { batch, sync in (batch, Result { () throws(BrokerError) in try sync() }) }
        let (outcome, callbacks, turns) = state.withLock { state in
            var outcome = Result<Void, BrokerError>.success(())
            var callbacks: [@Sendable () -> Void] = []
            var turns: [DispatchSemaphore] = []
            for (batch, result) in synced {
                turns += state.syncing.give(batch.partition)
                do throws(BrokerError) {
                    callbacks += try state.finishAppend(batch, synced: result)
                } catch {
                    if case .success = outcome { outcome = .failure(error) }
                }
            }
            return (outcome, callbacks, turns)
        }
        turns.forEach { $0.signal() }
        callbacks.forEach { $0() }
        return outcome
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
            let replicated = try state.leading(topic, partition).1
            return try replicated.log.records(from: offset, maxRecords: maxRecords, maxBytes: maxBytes, below: replicated.highWatermark)
        }
    }

    /// Whole batches of one partition from `offset`, as a network Fetch sends them.
    public func fetch(_ topic: String, partition: Int32, from offset: Int64, maxBytes: Int) throws(BrokerError) -> FetchResult {
        try state.withLock { state throws(BrokerError) in
            let replicated = try state.leading(topic, partition).1
            return FetchResult(
                records: try replicated.log.storedBytes(from: offset, maxBytes: maxBytes, below: replicated.highWatermark),
                logStartOffset: replicated.log.logStartOffset, highWatermark: replicated.highWatermark)
        }
    }

    /// The earliest and latest offsets of one partition, as consumers see them: the latest is
    /// the high watermark.
    public func offsets(_ topic: String, partition: Int32) throws(BrokerError) -> PartitionOffsets {
        try state.withLock { state throws(BrokerError) in
            let replicated = try state.leading(topic, partition).1
            return PartitionOffsets(logStartOffset: replicated.log.logStartOffset, logEndOffset: replicated.highWatermark)
        }
    }

    /// The first offset of one partition whose timestamp is at or after `timestamp`, or nil.
    public func offset(_ topic: String, partition: Int32, atOrAfter timestamp: Int64) throws(BrokerError) -> Int64? {
        try state.withLock { state throws(BrokerError) in
            try state.partition(topic, partition).1.offset(atOrAfter: timestamp)
        }
    }
}

/// A batch written to a partition under the lock: what finishing it needs.
struct WrittenBatch: Sendable {
    /// Where it was written; the partition's turn stays taken until it is finished, and its
    /// topic is not deleted meanwhile.
    var partition: TopicPartition
    /// The leader that wrote it, and its copy's idempotent producers once the batch is part of
    /// that copy.
    var producers: (leader: Int32, state: ProducerState)?
}

/// Where a publish stands after its turn under the lock.
private enum PublishStep {
    /// A partition it writes to is being synced: wait, then try again.
    case wait(DispatchSemaphore)
    /// Written: the positions, the waiters to wake, the batches still to sync, and the error
    /// that stopped it before the rest of its batches were written.
    case written([RecordPosition], [@Sendable () -> Void], [(WrittenBatch, PendingSync)], BrokerError?)
}

/// Where an append stands after its turn under the lock.
private enum AppendStep {
    /// Another append to the partition is being synced: wait, then try again.
    case wait(DispatchSemaphore)
    /// Appended (or a duplicate): where, and the waiters to wake.
    case done(AppendedBatch, [@Sendable () -> Void])
    /// Written; the sync runs outside the lock before the batch becomes part of the log.
    case sync(AppendedBatch, WrittenBatch, PendingSync)
}

extension BrokerState {
    /// Appends a checked batch to the leader's copy of `partition` of topic `name`, stamped with
    /// the leader's epoch, and notes the write for the partition's epochs and page cache.
    ///
    /// - Returns: what ``PartitionLog/append(checked:config:now:leaderEpoch:)`` returns.
    mutating func appendToLeader(
        _ batch: RecordBatch, _ name: TopicName, _ partition: Int32, now: Int64, dirtyExpireMs: Int64
    ) throws(BrokerError) -> (baseOffset: Int64, sync: PendingSync?) {
        let topic = topics[name]!
        let replicated = topic.partitions[Int(partition)]
        let start = replicated.log.logEndOffset
        let (base, sync) = try replicated.log.append(checked: batch, config: topic.config, now: now, leaderEpoch: replicated.leaderEpoch)
        var placed = batch.stamped(leaderEpoch: replicated.leaderEpoch)
        placed.baseOffset = base
        topics[name]!.partitions[Int(partition)].wrote(placed, on: replicated.leader!, start: start, now: now, dirtyExpireMs: dirtyExpireMs)
        return (base, sync)
    }

    /// Records a batch that is now part of its leader's log: its producer's state, the high
    /// watermark (which moves at once when the leader is the only in-sync replica), and the
    /// waiters it wakes and acks=all writes it settles.
    mutating func appended(_ batch: WrittenBatch) -> [@Sendable () -> Void] {
        let key = batch.partition
        guard let name = try? TopicName(key.topic), topics[name] != nil else { return [] }
        // A copy cut back meanwhile reads its producers again from what it kept.
        if let (leader, producers) = batch.producers, topics[name]!.partitions[Int(key.partition)].producerStates[leader] != nil {
            topics[name]!.partitions[Int(key.partition)].producerStates[leader] = producers
        }
        topics[name]!.partitions[Int(key.partition)].advanceHighWatermark()
        let highWatermark = topics[name]!.partitions[Int(key.partition)].highWatermark
        return waiters.takeData(topic: key.topic, partition: key.partition, logEndOffset: highWatermark) + settleAcknowledgements(of: key)
    }

    /// Ends the append of `batch` whose sync gave `synced`.
    ///
    /// - Returns: the waiters to wake.
    /// - Throws: the sync's error, the batch cut back off.
    mutating func finishAppend(_ batch: WrittenBatch, synced: Result<Void, BrokerError>) throws(BrokerError) -> [@Sendable () -> Void] {
        let log = try partition(batch.partition.topic, batch.partition.partition).1
        try log.storage.finishAppend(synced: synced)
        return appended(batch)
    }
}
