import EventLabCore
import EventLabPatterns

/// What `show flow` draws, read from the flows and the broker at one moment: the pure picture
/// takes a `FlowModel`, and this is where its lags, states and counts come from.
enum FlowSnapshot {
    /// The model of `flows` as `broker` stands now.
    static func model(_ flows: Flows, broker: Broker) -> FlowModel {
        let services = flows.services.keys.sorted().map { name in
            let slot = flows.services[name]!
            let totals = slot.totals
            return FlowModel.Service(
                slot.service, state: state(slot), lag: lag(of: name, reading: slot.service.sources, in: broker),
                processed: Int64(totals.read), emitted: Int64(totals.emitted),
                deadLettered: Int64(totals.deadLettered))
        }
        let tables = flows.tables.keys.sorted().map { name in
            let table = flows.tables[name]!
            return FlowModel.Table(name: name, topic: table.topic, behind: try? table.staleness(in: broker).recordsBehind)
        }
        let calls = flows.calls.keys.sorted().map { edge in
            let count = flows.calls[edge]!
            return FlowModel.Call(from: edge.caller, to: edge.callee, count: Int64(count.calls), failed: Int64(count.failed))
        }
        let topics = broker.topics().map(\.name)
        let aggregates = flows.aggregates.keys.sorted().map { name in
            let slot = flows.aggregates[name]!
            let snapshots = slot.aggregate.snapshotTopic
            return FlowModel.Aggregate(
                name: name, topic: slot.aggregate.source, keys: slot.states.count,
                events: slot.states.values.reduce(0) { $0 + $1.version }, behind: AggregateText.behind(slot, in: broker),
                snapshots: slot.snapshotEvery != nil || topics.contains(snapshots) ? snapshots : nil)
        }
        let commands = flows.commands.keys.sorted().map { FlowModel.Command(flows.commands[$0]!) }
        let projections = flows.projections.keys.sorted().map { name in
            let slot = flows.projections[name]!
            return FlowModel.Projection(
                name: name, reads: slot.projection.sources, lag: lag(of: slot.readModel, in: broker), rows: slot.readModel.count,
                isRunning: slot.isRunning, isInline: slot.isInline)
        }
        var model = FlowModel(
            topics: topics, services: services, tables: tables, calls: calls,
            aggregates: aggregates, commands: commands, projections: projections)
        model.upcasters = flows.upcasters.all.map { "\($0.number) on \($0.rule.eventType)" }
        return model
    }

    /// The records `model` has not applied yet, per source topic, from its own positions (a
    /// partition never read counts from its log start); a source topic that does not exist is
    /// left out (its lag is unknown).
    static func lag(of model: ReadModel, in broker: Broker) -> [String: Int64] {
        var lags: [String: Int64] = [:]
        for topic in model.projection.sources {
            guard let description = try? broker.describeTopic(topic) else { continue }
            lags[topic] = description.partitions.reduce(0) { sum, partition in
                let position = model.positions[SourcePartition(topic: topic, partition: partition.index)] ?? partition.logStartOffset
                return sum + max(0, partition.logEndOffset - max(position, partition.logStartOffset))
            }
        }
        return lags
    }

    /// Stopped by hand wins over where it stopped on its own: `service start` is what moves it.
    static func state(_ slot: Flows.ServiceSlot) -> FlowModel.State {
        guard slot.isRunning else { return .stopped }
        guard let stop = slot.stop else { return .running }
        guard let record = stop.record else { return .stopped }
        switch stop.kind {
        case .poison: return .poisoned(topic: record.topic, partition: record.partition, offset: record.offset)
        case .blocked, .other: return .waiting(topic: record.topic, partition: record.partition, offset: record.offset)
        case .crashed: return .crashed(topic: record.topic, partition: record.partition, offset: record.offset)
        }
    }

    /// The records the service's group has yet to read, per source topic. A partition the group
    /// has not committed on counts whole: a service starts at the earliest offset, so it has read
    /// none of it. A source topic that does not exist is left out (its lag is unknown).
    static func lag(of group: String, reading topics: [String], in broker: Broker) -> [String: Int64] {
        let committed = (try? broker.describeGroup(group))?.partitions ?? []
        var lags: [String: Int64] = [:]
        for topic in topics {
            guard let description = try? broker.describeTopic(topic) else { continue }
            lags[topic] = description.partitions.reduce(0) { sum, partition in
                let offset = committed.first { $0.topicPartition.topic == topic && $0.topicPartition.partition == partition.index }?.committedOffset
                let next = max(offset ?? partition.logStartOffset, partition.logStartOffset)
                return sum + max(0, partition.logEndOffset - next)
            }
        }
        return lags
    }
}
