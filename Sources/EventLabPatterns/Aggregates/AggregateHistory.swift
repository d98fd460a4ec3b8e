import EventLabCore

/// A key's history as time travel, traces and pictures show it: the events the log still holds,
/// numbered as the key's versions, and the snapshot a rebuild would start the key from. When
/// retention deleted the key's first events, `gone` counts them, so the versions go on from
/// there and agree with the state the aggregate holds.
public struct AggregateHistory: Sendable, Equatable {
    /// The key's events inside the snapshot (offset below its `at` for their partition) or all
    /// of them without one, folded from the initial state.
    public internal(set) var before: [AggregateTraceStep] = []
    /// The snapshot the rest is folded from; nil for none.
    public internal(set) var snapshot: AggregateSnapshot?
    /// The key's events after the snapshot, folded from its state.
    public internal(set) var after: [AggregateTraceStep] = []
    /// Per partition whose log no longer starts at 0, the offset it starts at: retention deleted
    /// the records before.
    public internal(set) var logStarts: [Int32: Int64] = [:]
    /// The key's first events retention deleted: `before`'s versions start after them.
    public internal(set) var gone = 0

    /// Every event the log holds, in order.
    public var steps: [AggregateTraceStep] { before + after }

    /// Numbers `before` as if the key had `gone` events before it: the count a fold that
    /// read them (the aggregate's state, a snapshot) knows.
    mutating func count(gone: Int) {
        let gone = max(0, gone)
        for index in before.indices { before[index].version += gone - self.gone }
        self.gone = gone
    }
}

extension Aggregate {
    /// `key`'s history: its events in the source, folded from the initial state; with a
    /// `snapshot` of it, the events it holds are folded from the initial state and the rest from
    /// the snapshot's state, as a rebuild from snapshots folds them.
    public func history(key: String, from snapshot: AggregateSnapshot? = nil, in broker: Broker) throws(BrokerError) -> AggregateHistory {
        var history = AggregateHistory()
        history.snapshot = snapshot
        for partition in try broker.describeTopic(source).partitions where partition.logStartOffset > 0 {
            history.logStarts[partition.index] = partition.logStartOffset
        }
        var early = initial
        var late = snapshot?.entry.state ?? initial
        try forEachRecord(in: broker) { record, partition in
            guard case .success(key) = self.key(of: record, partition: partition) else { return true }
            let inside = snapshot.map { record.offset < $0.at[partition] ?? 0 } ?? true
            guard case .applied(let eventType, let after) = fold(inside ? early : late, record, partition: partition) else { return true }
            let version = inside ? history.before.count + 1 : (snapshot?.entry.version ?? 0) + history.after.count + 1
            let step = AggregateTraceStep(
                partition: partition, offset: record.offset, timestamp: record.timestamp, eventType: eventType, version: version, state: after)
            if inside {
                early = after
                history.before.append(step)
            } else {
                late = after
                history.after.append(step)
            }
            return true
        }
        // Only deleted records can make a snapshot hold more events than the log does.
        if let snapshot, !history.logStarts.isEmpty { history.count(gone: snapshot.entry.version - history.before.count) }
        return history
    }
}
