import Dispatch

extension Broker {
    /// Appends `records` to one partition as one batch, but only if the partition's log-end
    /// offset is still `expected` when the broker's lock is held; otherwise appends nothing.
    ///
    /// This is how a command is written after it was validated, outside the lock, against an
    /// aggregate folded up to offset `expected`: the append happens only if no event arrived
    /// since, and a refused writer catches up from `expected` and validates again (optimistic
    /// concurrency, as EventStoreDB's expected version). Kafka has no such thing: its producers
    /// cannot make an append depend on the log's end. Real systems keep one writer per key — a
    /// single service instance owns each key's partition, so nobody else appends between its
    /// read and its write — or use transactions, whose consumed offsets and produced records
    /// commit together and are fenced when another instance takes over.
    ///
    /// Every record goes to `partition`, whatever its key; timestamps, headers and
    /// LogAppendTime are as for ``publish(_:_:unkeyed:)``. Idempotent producers' state and the
    /// partitioner's are left alone. A batch the flush policy syncs is synced outside the lock
    /// and counts only once it is, as with ``append(_:topic:partition:sentBytes:)``; waiters for
    /// new data wake as for any append.
    ///
    /// - Returns: the offset of each record, in the given order: `expected` onwards.
    /// - Throws: `INVALID_UPDATE_VERSION` when the partition no longer ends at `expected`,
    ///   saying where it ends; `INVALID_REQUEST` for a record that names another partition; an
    ///   unknown topic or partition, or a batch its topic refuses, as `publish` does; the
    ///   storage's error for a failed write or sync. Nothing is appended in every case.
    public func publish(
        _ topicName: String, partition: Int32, _ records: [ProducerRecord], ifEndIs expected: Int64
    ) throws(BrokerError) -> [RecordPosition] {
        let now = clock.now()
        let key = TopicPartition(topicName, partition)
        while true {
            let step = try state.withLock { state throws(BrokerError) -> ConditionalAppendStep in
                let (topic, log) = try state.partition(topicName, partition)
                if let stray = records.firstIndex(where: { $0.partition.map { $0 != partition } ?? false }) {
                    throw .strayPartition(record: stray, names: records[stray].partition!, appendingTo: partition)
                }
                // Checked before the end: a batch the topic refuses is refused at any end, so a
                // writer that catches up and tries again must not be sent round for it.
                let batch = try records.isEmpty ? nil : log.check(
                    RecordBatch(records: records.enumerated().map { delta, record in
                        Record(offset: Int64(delta), timestamp: record.timestamp ?? now,
                               key: record.key, value: record.value, headers: record.headers)
                    }),
                    config: topic.config)
                // A batch being synced is not in the log end yet but will be: wait for it first.
                if let turn = state.syncing.wait(for: key) { return .wait(turn) }
                guard log.logEndOffset == expected else {
                    throw .endMoved(topicName, partition, expected: expected, actual: log.logEndOffset)
                }
                guard let batch else { return .done([], []) }
                let (base, sync) = try state.appendToLeader(batch, try TopicName(topicName), partition, now: now, dirtyExpireMs: config.dirtyExpireMs)
                let positions = records.indices.map { RecordPosition(partition: partition, offset: base + Int64($0)) }
                let written = WrittenBatch(partition: key, producers: nil)
                guard let sync else { return .done(positions, state.appended(written)) }
                state.syncing.take(key)
                return .sync(positions, written, sync)
            }
            switch step {
            case .wait(let turn):
                turn.wait()
            case .done(let positions, let callbacks):
                callbacks.forEach { $0() }
                followersFetch()
                return positions
            case .sync(let positions, let written, let sync):
                try finish([(written, sync)]).get()
                followersFetch()
                return positions
            }
        }
    }
}

/// Where a conditional append stands after its turn under the lock.
private enum ConditionalAppendStep {
    /// Another append to the partition is being synced: wait, then look at the end again.
    case wait(DispatchSemaphore)
    /// Appended (or nothing to append): where, and the waiters to wake.
    case done([RecordPosition], [@Sendable () -> Void])
    /// Written; the sync runs outside the lock before the batch becomes part of the log.
    case sync([RecordPosition], WrittenBatch, PendingSync)
}

extension BrokerError {
    /// The partition's end moved past where the writer validated. Kafka's controller answers
    /// INVALID_UPDATE_VERSION when a partition-state update names a partition epoch that is no
    /// longer current — its own compare-and-set refused because someone changed it first —
    /// which is what happened here.
    static func endMoved(_ topic: String, _ partition: Int32, expected: Int64, actual: Int64) -> BrokerError {
        let why = actual > expected ? "records were appended since" : "it is shorter (was the topic created again?)"
        return BrokerError(
            .invalidUpdateVersion,
            "partition \(partition) of '\(topic)' ends at offset \(actual), not \(expected) as expected: "
                + "\(why), so nothing was appended; "
                + "catch up to offset \(actual), validate again and append expecting \(actual)")
    }

    static func strayPartition(record index: Int, names named: Int32, appendingTo partition: Int32) -> BrokerError {
        BrokerError(
            .invalidRequest,
            "record \(index) names partition \(named), but this append goes to partition \(partition) only; "
                + "leave its partition unset or set it to \(partition)")
    }
}
