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
            do throws(BrokerError) {
                try slot.readModel.catchUp(from: broker, trace: &trace)
                slot.problem = Self.commit(slot.readModel, to: broker)
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
            do throws(BrokerError) {
                guard try slot.readModel.step(from: broker, trace: &trace) else { continue }
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
            let committed = broker.committedOffsets(groupId: name)
            var ends: [SourcePartition: Int64] = [:]
            for (partition, offset) in committed where slot.projection.sources.contains(partition.topic) {
                ends[SourcePartition(topic: partition.topic, partition: partition.partition)] = offset.offset
            }
            var model = ReadModel(slot.projection)
            var trace = ProjectionTrace(budget: 0)
            do throws(BrokerError) {
                try model.catchUp(from: broker, upTo: ends, trace: &trace)
                slot.problem = nil
            } catch {
                slot.problem = "could not be rebuilt when the workspace opened: \(error.message)"
            }
            slot.readModel = model
            projections[name] = slot
        }
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
