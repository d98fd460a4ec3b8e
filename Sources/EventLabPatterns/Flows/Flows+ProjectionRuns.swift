import EventLabCore

extension Flows {
    /// Brings every inline projection that runs up to the end of its sources and commits its
    /// positions to its group: what a command calls right after appending its events, so an
    /// inline read model has them before the command returns, while the others wait for the
    /// next drain or step.
    public mutating func catchUpInline(_ broker: Broker, traceBudget: Int = 0) -> ProjectionTrace {
        catchUpProjections(broker, traceBudget: traceBudget) { $0.isInline }
    }

    /// Brings every projection that runs (with `which`) up to the end of its sources, by name,
    /// and commits each one's positions to its consumer group, so `group describe` shows its lag.
    /// A projection that cannot read keeps what it has, and why is kept as its ``ProjectionSlot/problem``.
    mutating func catchUpProjections(_ broker: Broker, traceBudget: Int, which: (ProjectionSlot) -> Bool = { _ in true }) -> ProjectionTrace {
        var trace = ProjectionTrace(budget: traceBudget)
        for name in projections.keys.sorted() where projections[name]!.isReading && which(projections[name]!) {
            var slot = projections[name]!
            if Self.follow(&slot, broker) { trace.followed.append(name) }
            do throws(BrokerError) {
                try slot.readModel.catchUp(from: broker, trace: &trace)
                slot.problem = Self.commit(slot.readModel, to: broker)
            } catch where error.code == .offsetOutOfRange {
                // A source was deleted and created again: the rows its old events built are gone
                // from the log, so the read model is built again from the new topics' starts.
                slot.problem = Self.replay(&slot.readModel, upTo: nil, from: broker)
                    ?? Self.commit(slot.readModel, to: broker)
                    ?? "was rebuilt from the log start: a topic it reads was deleted and created again"
            } catch {
                slot.problem = "could not read: \(error.message)"
            }
            projections[name] = slot
        }
        return trace
    }

    /// Delivers the next record to the first projection, by name, that runs and has one unread;
    /// nil when none has.
    mutating func stepProjection(_ broker: Broker) -> ProjectionTrace? {
        var trace = ProjectionTrace(budget: 1)
        for name in projections.keys.sorted() where projections[name]!.isReading {
            var slot = projections[name]!
            if Self.follow(&slot, broker) { trace.followed.append(name) }
            do throws(BrokerError) {
                guard try slot.readModel.step(from: broker, trace: &trace) else {
                    projections[name] = slot
                    continue
                }
                slot.problem = Self.commit(slot.readModel, to: broker)
                projections[name] = slot
                return trace
            } catch {
                slot.problem = "could not read: \(error.message)"
                projections[name] = slot
            }
        }
        return nil
    }

    /// Builds the projection named `name` again from its sources' log starts under its rules as
    /// they are now, to their ends, and commits the new positions; the old read model is
    /// returned with the new one kept. A running or paused projection alike: a rebuild is asked for.
    public mutating func rebuildProjection(_ name: String, from broker: Broker) throws -> (old: ReadModel, read: Int) {
        var slot = try projection(name)
        let old = slot.readModel
        var model = ReadModel(slot.projection)
        var trace = ProjectionTrace(budget: 0)
        let read = try model.catchUp(from: broker, trace: &trace)
        slot.readModel = model
        slot.problem = Self.commit(model, to: broker)
        projections[name] = slot
        return (old, read)
    }

    /// Builds every projection's read model again from the log, as a workspace opens: each
    /// partition is replayed from its log start up to the offset the projection's group
    /// committed, so the read model, and its lag, are where they were when the workspace closed;
    /// a partition its group never committed is read from the start by the next catch-up.
    public mutating func restoreProjections(_ broker: Broker) {
        for name in projections.keys.sorted() {
            var slot = projections[name]!
            slot.problem = Self.replay(&slot.readModel, upTo: Self.committed(slot.projection, in: broker), from: broker)
                .map { "could not be rebuilt when the workspace opened: \($0)" }
            projections[name] = slot
        }
    }

    /// Where the group of `projection`'s name has committed on its source partitions.
    static func committed(_ projection: Projection, in broker: Broker) -> [SourcePartition: Int64] {
        var ends: [SourcePartition: Int64] = [:]
        for (partition, offset) in broker.committedOffsets(groupId: projection.name) where projection.sources.contains(partition.topic) {
            ends[SourcePartition(topic: partition.topic, partition: partition.partition)] = offset.offset
        }
        return ends
    }

    /// Replaces `model` with one replayed from the log start up to `ends` (to the log end when
    /// nil); nil, or why it could not read.
    private static func replay(_ model: inout ReadModel, upTo ends: [SourcePartition: Int64]?, from broker: Broker) -> String? {
        var replayed = ReadModel(model.projection)
        var trace = ProjectionTrace(budget: 0)
        defer { model = replayed }
        do throws(BrokerError) {
            try replayed.catchUp(from: broker, upTo: ends, trace: &trace)
            return nil
        } catch {
            return error.message
        }
    }

    /// When the group's committed offsets were moved away from the read model's positions (by
    /// `group reset NAME …`), replays the read model from the log start up to them, as Axon's
    /// token reset rebuilds a projection; true when it did.
    private static func follow(_ slot: inout ProjectionSlot, _ broker: Broker) -> Bool {
        let committed = committed(slot.projection, in: broker)
        let moved = committed.contains { source, offset in slot.readModel.positions[source].map { $0 != offset } ?? false }
        guard moved else { return false }
        slot.problem = replay(&slot.readModel, upTo: committed, from: broker).map { "could not follow its group's reset: \($0)" }
        return true
    }

    /// Commits `model`'s positions to the consumer group of its projection's name where they
    /// moved; nil when they are committed, else why not.
    static func commit(_ model: ReadModel, to broker: Broker) -> String? {
        let group = model.projection.name
        let committed = broker.committedOffsets(groupId: group)
        var offsets: [TopicPartition: CommittedOffset] = [:]
        for (source, position) in model.positions {
            let partition = TopicPartition(source.topic, source.partition)
            if committed[partition]?.offset != position { offsets[partition] = CommittedOffset(offset: position) }
        }
        guard !offsets.isEmpty else { return nil }
        let refused = broker.commitOffsets(groupId: group, offsets: offsets).filter { $0.value != KafkaErrorCode.none }
        guard let (partition, code) = refused.min(by: { $0.key < $1.key }) else { return nil }
        return "could not commit its position on \(partition) to consumer group \(group) (\(code)): another consumer may be a member of that group; its read model is kept, and `group describe \(group)` lags"
    }
}
