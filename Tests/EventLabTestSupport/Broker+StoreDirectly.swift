@testable import EventLabCore

extension Broker {
    /// Puts `records` (key, value, timestamp) into the active segment of `topic` p0 as one
    /// batch, past every check an append makes: what an older EventLab, or a damaged file,
    /// may have left in a log.
    public func storeDirectly(_ topic: String, _ records: [(key: String?, value: String?, timestamp: Int64)]) throws {
        let batch = RecordBatch(records: records.enumerated().map { index, record in
            Record(offset: Int64(index), timestamp: record.timestamp, key: record.key.map { Array($0.utf8) }, value: record.value.map { Array($0.utf8) })
        })
        try state.withLock { state throws(BrokerError) in
            let log = try state.partition(topic, 0).1
            var placed = batch
            placed.baseOffset = log.logEndOffset
            _ = try log.storage.append(placed)
            state.topics[try TopicName(topic)]!.partitions[0].advanceHighWatermark()
        }
    }
}
