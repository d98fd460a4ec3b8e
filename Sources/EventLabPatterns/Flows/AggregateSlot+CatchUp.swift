import EventLabCore

extension Flows.AggregateSlot {
    /// Folds what the aggregate has not read of its topic yet: each partition from its
    /// position (or its log start when retention has since deleted that), publishing every
    /// key's state to the snapshot topic each time `snapshotEvery` events have been folded. The
    /// first read starts from the snapshot topic's newest snapshots made under the current
    /// rules, when there are any, so a workspace reopened does not replay what they hold. An
    /// aggregate with no rules reads nothing: every event would leave its state as it was.
    ///
    /// A topic that cannot be read leaves the states as they are and says why once; a topic
    /// deleted and created again (a position past its end) makes it fold the new one from scratch.
    public mutating func catchUp(from broker: Broker) -> AggregateCatchUp {
        var report = AggregateCatchUp()
        guard !aggregate.rules.isEmpty else { return report }
        let description: TopicDescription
        do throws(BrokerError) {
            description = try broker.describeTopic(aggregate.source)
        } catch {
            let problem = "could not read its topic: \(error.message); create \(aggregate.source) again, or `aggregate delete \(aggregate.name)`"
            if self.problem != problem { report.problem = problem }
            self.problem = problem
            return report
        }
        problem = nil
        if description.partitions.contains(where: { (positions[$0.index] ?? 0) > $0.logEndOffset }) {
            let every = snapshotEvery
            self = Self(aggregate)
            snapshotEvery = every
            report.problem = "was folded again from the start of \(aggregate.source): the topic was deleted and created again"
        }
        if !hasRead, (try? broker.describeTopic(aggregate.snapshotTopic)) != nil {
            startFromSnapshots(broker, description, into: &report)
        }
        for partition in description.partitions {
            let start = partition.logStartOffset
            let position = positions[partition.index] ?? 0
            let known = logStarts[partition.index] ?? 0
            if start > known {
                report.deletedFolded += max(0, min(start, position) - known)
                report.deletedUnread += max(0, start - max(position, known))
            }
            logStarts[partition.index] = start
        }
        fold(broker, into: &report)
        return report
    }

    /// Reads on from the positions, folding and snapshotting.
    private mutating func fold(_ broker: Broker, into report: inout AggregateCatchUp) {
        // Copies, so the read's closure changes them while `aggregate` is read.
        let aggregate = aggregate
        var states = states
        var positions = positions
        var schedule = snapshots
        var counted = AggregateReport()
        var snapshotFailure: String?
        let mixesRules = mixesRules
        let ends = try? aggregate.forEachRecord(in: broker, from: positions) { record, partition in
            let before = counted.applied
            aggregate.apply(record, partition: partition, to: &states, counting: &counted)
            positions[partition] = record.offset + 1
            guard counted.applied > before else { return true }
            switch schedule.folded(mixesRules: mixesRules) {
            case .wait: break
            case .refuse: report.snapshotRefused = schedule.sinceLast
            case .write:
                do throws(BrokerError) {
                    report.snapshotRecords += try Self.publish(aggregate, states, at: positions, to: broker).records
                    schedule.written(at: positions)
                } catch {
                    snapshotFailure = error.message
                }
            }
            return true
        }
        for (partition, end) in ends ?? [:] { positions[partition] = max(positions[partition] ?? 0, end) }
        self.states = states
        self.positions = positions
        snapshots = schedule
        report.eventsRead += counted.eventsRead
        report.applied += counted.applied
        report.keyedOtherwise += counted.keyedOtherwise
        report.failures += counted.failures
        if let snapshotFailure { report.problem = "could not publish its snapshots to \(aggregate.snapshotTopic): \(snapshotFailure)" }
    }

    /// Starts from the newest usable snapshots, when any key has one.
    private mutating func startFromSnapshots(_ broker: Broker, _ description: TopicDescription, into report: inout AggregateCatchUp) {
        guard let (states, read) = try? aggregate.rebuild(from: broker, snapshots: aggregate.snapshotTopic),
              let use = read.snapshots, use.keysFromSnapshot > 0
        else { return }
        take(states, readTo: read.readTo, logStarts: Dictionary(uniqueKeysWithValues: description.partitions.map { ($0.index, $0.logStartOffset) }), report: read)
        report.fromSnapshots = use
        report.eventsRead = read.eventsRead
        report.applied = read.applied
        report.keyedOtherwise = read.keyedOtherwise
        report.failures = read.failures
    }

    /// Publishes every key's state to the snapshot topic, as of its positions; creates the
    /// topic compacted when it is missing.
    ///
    /// - Returns: the records published, and whether the topic was created.
    /// - Throws: the broker's error for a failed create or publish.
    public func publishSnapshot(to broker: Broker) throws(BrokerError) -> (records: Int, created: Bool) {
        try Self.publish(aggregate, states, at: positions, to: broker)
    }

    private static func publish(
        _ aggregate: Aggregate, _ states: [String: AggregateState], at positions: [Int32: Int64], to broker: Broker
    ) throws(BrokerError) -> (records: Int, created: Bool) {
        var created = false
        if (try? broker.describeTopic(aggregate.snapshotTopic)) == nil {
            var config = TopicConfig()
            config.cleanupPolicy = .compact
            _ = try broker.createTopic(aggregate.snapshotTopic, partitions: 1, config: config)
            created = true
        }
        let records = aggregate.snapshotRecords(states, at: positions)
        _ = try broker.publish(aggregate.snapshotTopic, records)
        return (records.count, created)
    }
}
