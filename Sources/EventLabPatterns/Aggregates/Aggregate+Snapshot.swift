import EventLabCore

/// A rebuild that starts each key from its newest usable snapshot and replays only the events
/// after it. Its states equal a rebuild from the start's as long as the snapshots were taken
/// of every key of one fold (`snapshotRecords`): a key without one is folded from what is read.
extension Aggregate {
    /// Why a snapshot of other rules is not used.
    public static let otherRules = "made under other rules"

    /// Every key's state, each started from its newest snapshot in `topic` when that was made
    /// under the current rules, then folded with the events after it.
    ///
    /// - Throws: the broker's error for an unknown topic or a failed read.
    public func rebuild(
        from broker: Broker, snapshots topic: String
    ) throws(BrokerError) -> (states: [String: AggregateState], report: AggregateReport) {
        var use = AggregateSnapshotUse()
        var ends: [Int32: Int64] = [:]
        var logStarts: [Int32: Int64] = [:]
        for partition in try broker.describeTopic(source).partitions {
            let offsets = try broker.offsets(source, partition: partition.index)
            ends[partition.index] = offsets.logEndOffset
            logStarts[partition.index] = offsets.logStartOffset
            use.recordsInTopic += Int(offsets.logEndOffset - offsets.logStartOffset)
        }
        // The newest record of each key; a later one replaces an earlier, as compaction would.
        var newest: [String: Record] = [:]
        try Self.forEachRecord(of: topic, in: broker) { record, _ in
            if let key = record.key {
                newest[String(decoding: key, as: UTF8.self)] = record
            } else {
                use.ignored["it has no key", default: 0] += 1
            }
            return true
        }
        var used: [String: AggregateSnapshot] = [:]
        // A key whose snapshot is not used needs its whole history, so the read starts at the
        // log start; otherwise at the lowest offset a snapshot had not read.
        var wholeHistory = false
        for (key, record) in newest {
            let snapshot: AggregateSnapshot
            switch AggregateSnapshot.read(record, aggregate: name) {
            case .success(let read): snapshot = read
            case .failure(let error):
                use.ignored[error.reason, default: 0] += 1
                wholeHistory = true
                continue
            }
            if snapshot.fingerprint != fingerprint {
                use.ignored[Self.otherRules, default: 0] += 1
                wholeHistory = true
            } else if snapshot.at.contains(where: { $0.value > ends[$0.key] ?? 0 }) {
                use.ignored["taken beyond the end of \(source)", default: 0] += 1
                wholeHistory = true
            } else {
                used[key] = snapshot
            }
        }
        var starts: [Int32: Int64] = [:]
        var covered: [Int32: Int64] = [:]
        for partition in ends.keys {
            let at = used.values.map { $0.at[partition] ?? 0 }
            starts[partition] = wholeHistory || at.isEmpty ? logStarts[partition] : at.min()
            covered[partition] = at.max() ?? 0
        }
        var states = used.mapValues(\.entry)
        use.keysFromSnapshot = used.count
        if !used.isEmpty { use.startedAt = covered }
        var report = AggregateReport()
        report.readTo = try forEachRecord(in: broker, from: starts) { record, partition in
            // Only below the highest snapshot offset can an event already be in its key's state.
            if record.offset < covered[partition] ?? 0, case .success(let key) = self.key(of: record, partition: partition),
               let snapshot = used[key], record.offset < snapshot.at[partition] ?? 0 {
                return true
            }
            apply(record, partition: partition, to: &states, counting: &report)
            return true
        }
        report.snapshots = use
        return (states, report)
    }
}
