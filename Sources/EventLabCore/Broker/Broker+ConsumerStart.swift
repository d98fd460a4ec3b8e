extension Broker {
    /// Where a member of `groupId` starts reading each of `partitions` of `topic`, as Kafka's
    /// consumer decides: at the group's committed offset when the log still holds it (or it is
    /// the log end), else by `reset`. Committed offsets and log bounds are read together.
    ///
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION`; `OFFSET_OUT_OF_RANGE` when `reset` is `none`
    ///   and a partition has no valid committed offset.
    public func consumerStarts(
        groupId: String, topic: String, partitions: [Int32], reset: AutoOffsetReset
    ) throws(BrokerError) -> [ConsumerStart] {
        try state.withLock { state throws(BrokerError) in
            let committed = state.coordinator.committedOffsets(groupId: groupId)
            // Kafka's consumer names every partition it has no offset for at once.
            let uncommitted = partitions.map { TopicPartition(topic, $0) }.filter { committed[$0] == nil }
            if reset == .none && !uncommitted.isEmpty { throw AutoOffsetReset.undefined(uncommitted) }
            var starts: [ConsumerStart] = []
            for index in partitions {
                let replicated = try state.leading(topic, index).1
                let partition = TopicPartition(topic, index)
                starts.append(try reset.start(
                    partition, at: committed[partition]?.offset, logStart: replicated.log.logStartOffset, logEnd: replicated.highWatermark))
            }
            return starts
        }
    }
}
