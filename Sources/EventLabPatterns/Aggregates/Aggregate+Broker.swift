import EventLabCore

/// An aggregate's topic is read through the broker's API from each partition's log start, in
/// bulk reads, partitions in index order. A key's history — for time travel and traces — is
/// replayed by reading every partition the same way, not only the key's own: an event keyed
/// otherwise may lie in any partition, and reading them all keeps a key's replayed state equal to
/// the state a rebuild gives it. Learners' topics are small, so the cost is a full scan.
extension Aggregate {
    /// Records a replay asks the broker for at a time.
    static let readRecords = 10_000
    /// Bytes a replay asks the broker for at a time.
    static let readBytes = 1 << 20

    /// Every key's state folded from the whole topic, and what was read.
    ///
    /// - Throws: the broker's error for an unknown topic or a failed read.
    public func rebuild(from broker: Broker) throws(BrokerError) -> (states: [String: AggregateState], report: AggregateReport) {
        var states: [String: AggregateState] = [:]
        var report = AggregateReport()
        report.readTo = try forEachRecord(in: broker) { record, partition in
            apply(record, partition: partition, to: &states, counting: &report)
            return true
        }
        return (states, report)
    }

    /// Folds `record` into `states` and counts what it did in `report`.
    func apply(_ record: Record, partition: Int32, to states: inout [String: AggregateState], counting report: inout AggregateReport) {
        report.eventsRead += 1
        switch apply(record, partition: partition, to: &states) {
        case .applied(_, let keyedOtherwise):
            report.applied += 1
            if keyedOtherwise { report.keyedOtherwise += 1 }
        case .skipped: report.skippedWithoutType += 1
        case .failed(let failure):
            report.failures.append(AggregateReport.Failure(partition: partition, offset: record.offset, failure: failure))
        }
    }

    /// `key`'s state at `point` (its current state when nil): its events at or before the point
    /// replayed from the initial state. At `.offset(n)`, the point is in the key's partition
    /// (`partition(ofKey:in:)`): the state after the key's last event there at or before `n`,
    /// in fold order — so it holds the key's events keyed otherwise into partitions the fold
    /// reads before that one and none of those in partitions it reads after; the initial state
    /// when the key has no event there at or before `n`.
    public func state(key: String, at point: AggregatePoint? = nil, in broker: Broker) throws(BrokerError) -> AggregateState {
        var entry = AggregateState(initial)
        var atOffset = AggregateState(initial)
        let place: (partition: Int32, offset: Int64)? = if case .offset(let offset) = point { (try partition(ofKey: key, in: broker), offset) } else { nil }
        try forEachRecord(in: broker) { record, partition in
            if case .version(let wanted) = point, entry.version >= wanted { return false }
            if case .time(let time) = point, record.timestamp > time { return true }
            if let place, partition > place.partition || (partition == place.partition && record.offset > place.offset) { return false }
            // Events that fail to fold are passed over, as a rebuild passes them.
            guard case .success(key) = self.key(of: record, partition: partition),
                  case .applied(_, let after) = fold(entry.state, record, partition: partition)
            else { return true }
            entry = AggregateState(state: after, version: entry.version + 1, offset: record.offset, partition: partition)
            if partition == place?.partition { atOffset = entry }
            return true
        }
        return place == nil ? entry : atOffset
    }

    /// The partition of the source `key` hashes to under the broker's default partitioner: where
    /// the key's events are when each is published with the key as its record key.
    public func partition(ofKey key: String, in broker: Broker) throws(BrokerError) -> Int32 {
        let count = try broker.describeTopic(source).partitions.count
        return Partitioner.partition(forKey: Array(key.utf8), count: Int32(count))
    }

    /// Calls `body` with each record of the source topic, partitions in index order, each from
    /// its log start (or from `starts`' offset, when later) to its end, until `body` returns
    /// false; returns, per partition, the offset the read stopped before.
    @discardableResult
    func forEachRecord(
        in broker: Broker, from starts: [Int32: Int64] = [:], _ body: (Record, Int32) -> Bool
    ) throws(BrokerError) -> [Int32: Int64] {
        try Self.forEachRecord(of: source, in: broker, from: starts, body)
    }

    /// `forEachRecord(in:from:_:)` over any topic.
    @discardableResult
    static func forEachRecord(
        of topic: String, in broker: Broker, from starts: [Int32: Int64] = [:], _ body: (Record, Int32) -> Bool
    ) throws(BrokerError) -> [Int32: Int64] {
        var ends: [Int32: Int64] = [:]
        for partition in try broker.describeTopic(topic).partitions {
            let offsets = try broker.offsets(topic, partition: partition.index)
            let end = offsets.logEndOffset
            ends[partition.index] = end
            var next = max(offsets.logStartOffset, starts[partition.index] ?? 0)
            while next < end {
                let records = try broker.read(topic, partition: partition.index, from: next, maxRecords: readRecords, maxBytes: readBytes)
                guard let last = records.last else { break }
                for record in records where record.offset < end {
                    guard body(record, partition.index) else { return ends }
                }
                next = last.offset + 1
            }
        }
        return ends
    }
}
