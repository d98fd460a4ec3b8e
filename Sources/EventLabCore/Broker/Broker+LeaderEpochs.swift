extension Broker {
    /// The leader epoch `offset` of partition `index` of `topic` was written in, as its leader's
    /// leader-epoch cache (Kafka's `leader-epoch-checkpoint`) tells it: the epoch of the last run
    /// of its log starting at or before `offset`; nil before the first. ListOffsets v4+ tells it
    /// with the earliest offset and with an offset found by time, as Kafka's Log does.
    ///
    /// - Throws: what ``offsets(_:partition:)`` throws.
    public func leaderEpoch(_ topic: String, partition index: Int32, at offset: Int64) throws(BrokerError) -> Int32? {
        try state.withLock { state throws(BrokerError) in
            let (name, _) = try state.topic(topic)
            let leader = try state.leading(topic, index).1.leader!
            return try state.topics[name]!.partitions[Int(index)].epochCache(leader).epoch(at: offset)
        }
    }
}
