extension Broker {
    /// Decoded records of the leader's copy of one partition from `offset`, at most
    /// `maxRecords`, those above the high watermark too: what `show topic` draws. Consumers read
    /// with ``read(_:partition:from:maxRecords:maxBytes:)``, which stops at the high watermark.
    ///
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION`, or the partition's offline error when it has no leader.
    public func leaderRecords(_ topic: String, partition: Int32, from offset: Int64, maxRecords: Int) throws(BrokerError) -> [Record] {
        try state.withLock { state throws(BrokerError) in
            try state.partition(topic, partition).1.records(from: offset, maxRecords: maxRecords)
        }
    }
}
