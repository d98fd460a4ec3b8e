extension Broker {
    /// The offset DeleteRecords takes for "up to the high watermark": every record goes.
    public static let deleteRecordsToHighWatermark: Int64 = -1

    /// Deletes the records of one partition before `offset`, as Kafka's DeleteRecords
    /// (`kafka-delete-records.sh`) does: the partition's log start offset moves up to `offset`
    /// (``deleteRecordsToHighWatermark``, -1, means the high watermark, here the log end), so
    /// no consumer can read an earlier record again — one positioned before it is reset by its
    /// `auto.offset.reset` — and closed segments wholly before it are deleted. The new log start
    /// survives a restart once this returns. An offset below the current log start changes nothing.
    ///
    /// - Returns: the partition's log start offset afterwards (Kafka's "low watermark").
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION` for a topic or partition that does not exist;
    ///   `OFFSET_OUT_OF_RANGE` for an offset above the high watermark or below -1;
    ///   `POLICY_VIOLATION` for a topic whose cleanup.policy does not include delete (compact
    ///   only), as Kafka refuses it; a storage error. Nothing is changed then.
    @discardableResult
    public func deleteRecords(_ topic: String, partition: Int32, before offset: Int64) throws(BrokerError) -> Int64 {
        let key = TopicPartition(topic, partition)
        // An append waiting for its sync finishes first: the high watermark then includes it.
        return try waitingForTurns({ $0.syncing.wait(for: key) }) { state throws(BrokerError) in
            let (topicState, replicated) = try state.leading(topic, partition)
            let (log, highWatermark) = (replicated.log, replicated.highWatermark)
            let target = offset == Self.deleteRecordsToHighWatermark ? highWatermark : offset
            guard target >= 0, target <= highWatermark else {
                throw BrokerError(
                    .offsetOutOfRange,
                    "cannot delete records of \(topic) partition \(partition) before offset \(offset): it must be 0 to the high watermark \(highWatermark) (or -1 for the high watermark)")
            }
            guard topicState.config.cleanupPolicy.contains(.delete) else {
                throw BrokerError(
                    .policyViolation,
                    "records of \(topic) partition \(partition) cannot be deleted: its cleanup.policy is \(topicState.config.cleanupPolicy), and Kafka deletes records only where it includes delete (`topic alter \(topic) --cleanup compact,delete`)")
            }
            try log.storage.advanceLogStart(to: target)
            return log.logStartOffset
        }
    }
}
