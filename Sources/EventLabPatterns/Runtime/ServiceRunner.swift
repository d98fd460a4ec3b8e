import EventLabCore

/// One service during a drain or a step: its group member, its positions, and what it did.
///
/// The member is kept between drains (``ServiceMembers``). While it rebalances, because a real
/// client joined or left its group, it owns no partitions and the service reads nothing; the
/// next drain polls it again.
struct ServiceRunner {
    let service: Service
    let broker: Broker
    let member: GroupMember
    var report: ServiceDrain
    /// The next offset to read, per assigned partition, in topic and partition order.
    var positions: [(partition: TopicPartition, next: Int64)] = []
    /// The crash armed for its next record; that record is read alone, so the crash hits it only.
    let crash: CrashPoint?
    /// The ids of the records it has handled, when it deduplicates.
    private var seen: Set<[UInt8]> = []
    /// Set when a commit finds the group rebalancing: its partitions may be another member's
    /// now, so it reads no more in this drain.
    private var rebalanced = false

    /// A runner for `service` through `member`, which reads the partitions the member owns from
    /// the group's committed offsets; none while the member rebalances.
    init(service: Service, member: GroupMember, crash: CrashPoint? = nil) {
        self.service = service
        self.broker = member.broker
        self.member = member
        self.crash = crash
        report = ServiceDrain(name: service.name)
        if case .failed(let code) = member.machine.phase {
            stop(nil, .other, "joining its consumer group \(service.name) was refused with \(code.name)")
        }
        guard member.machine.isStable else { return }
        let committed = broker.committedOffsets(groupId: service.name)
        for partition in member.assignment.sorted() {
            guard let offsets = try? broker.offsets(partition.topic, partition: partition.partition) else { continue }
            let start = committed[partition].map { max($0.offset, offsets.logStartOffset) } ?? offsets.logStartOffset
            positions.append((partition, start))
        }
        guard service.dedupe != nil else { return }
        do throws(BrokerError) {
            seen = try service.rememberedIds(in: broker)
        } catch {
            stop(nil, .other, "reading the ids it has handled from \(service.dedupeTopic) failed: \(error.message); create it with `topic create \(service.dedupeTopic) --cleanup compact`")
        }
    }

    /// Whether any partition of `service`'s topics holds records past its group's committed
    /// offset (its log start when it has none), asked without joining the group.
    static func hasUnread(_ service: Service, in broker: Broker) -> Bool {
        let committed = broker.committedOffsets(groupId: service.name)
        for topic in service.sources {
            guard let description = try? broker.describeTopic(topic) else { continue }
            for partition in description.partitions {
                let position = committed[TopicPartition(topic, partition.index)]?.offset ?? partition.logStartOffset
                if partition.logEndOffset > max(position, partition.logStartOffset) { return true }
            }
        }
        return false
    }

    /// Whether any partition has records past the service's position.
    func hasUnread() -> Bool {
        report.stop == nil && !rebalanced && positions.indices.contains(where: hasUnread)
    }

    private func hasUnread(_ index: Int) -> Bool {
        let (partition, next) = positions[index]
        return (try? broker.offsets(partition.topic, partition: partition.partition).logEndOffset).map { $0 > next } ?? false
    }

    /// Reads one batch from each partition and handles it; returns the records read. Up to
    /// `trace.budget` records are described in `trace`.
    mutating func round(tables: (any ExpressionTables)?, trace: inout FlowTrace) -> Int {
        var read = 0
        for index in positions.indices where report.stop == nil && !rebalanced {
            read += readBatch(index, maxRecords: FlowRuntime.readRecords, tables: tables, trace: &trace)
        }
        return read
    }

    /// Handles the next record of the first partition that has one; false when none has.
    mutating func step(tables: (any ExpressionTables)?, trace: inout FlowTrace) -> Bool {
        guard report.stop == nil, !rebalanced, let index = positions.indices.first(where: hasUnread) else { return false }
        return readBatch(index, maxRecords: 1, tables: tables, trace: &trace) > 0
    }

    private mutating func readBatch(
        _ index: Int, maxRecords: Int, tables: (any ExpressionTables)?, trace: inout FlowTrace
    ) -> Int {
        let (partition, next) = positions[index]
        let maxRecords = crash == nil ? maxRecords : 1
        let records: [Record]
        do throws(BrokerError) {
            records = try broker.read(partition.topic, partition: partition.partition, from: next, maxRecords: maxRecords)
        } catch {
            stop(partition, at: next, .other, "reading failed: \(error)")
            return 0
        }
        guard let first = records.first else { return 0 }
        let readBefore = report.recordsRead
        var pending = PendingEmissions()
        var handled = first.offset
        for record in records {
            report.recordsRead += 1
            // Made only when a record is described or stops the service: not on the fast path.
            lazy var place = RecordPlace(topic: partition.topic, partition: partition.partition, offset: record.offset)
            if service.commit == .before {
                if crash == .beforeCommit { crashed(at: place, .beforeCommit, trace: &trace); break }
                if !commit(partition, record.offset + 1, at: record.offset) { break }
                if crash == .afterCommit { crashed(at: place, .afterCommit, trace: &trace); break }
            }
            var id: [UInt8]?
            let reaction: Reaction
            switch service.dedupeId(of: record, topic: partition.topic, partition: partition.partition, tables: tables) {
            case .id(let read)? where seen.contains(read):
                report.duplicates += 1
                if trace.take() {
                    let outcome = FlowStep.Outcome.duplicate(id: String(decoding: read, as: UTF8.self))
                    trace.pending(service.name, place, service.eventType(of: record), outcome, emissions: 0..<0)
                }
                handled = record.offset + 1
                continue
            case .id(let read)?:
                id = read
                reaction = service.react(to: record, topic: partition.topic, partition: partition.partition, tables: tables)
            case .poison(let poison)?:
                reaction = .poison(poison)
            case nil:
                reaction = service.react(to: record, topic: partition.topic, partition: partition.partition, tables: tables)
            }
            let traced = trace.take()
            switch reaction {
            case .handled(let eventType, let emissions):
                let first = pending.add(emissions)
                if traced { trace.pending(service.name, place, eventType, .emitted([]), emissions: first..<pending.count) }
                if let id {
                    // Remembered in the same produce as its emissions, before the commit: a crash
                    // in between replays a record whose id is already remembered.
                    _ = pending.add([service.remembering(id, topic: partition.topic, partition: partition.partition, offset: record.offset)], counted: false)
                    seen.insert(id)
                }
            case .skipped:
                report.skipped += 1
                if traced { trace.pending(service.name, place, nil, .skipped, emissions: 0..<0) }
            case .poison(let poison):
                guard let deadLetter = poison.deadLetter else {
                    stop(partition, at: record.offset, .poison, poison.description)
                    if traced { trace.pending(service.name, place, nil, .poison(reason: poison.description), emissions: 0..<0) }
                    break
                }
                // Counted apart, as dead-lettered: what the rules emitted is what emitted counts.
                let first = pending.add([deadLetter], counted: false)
                report.deadLettered += 1
                if traced {
                    trace.pending(service.name, place, nil, .deadLettered(EmittedRecord(place: place), reason: poison.description), emissions: first..<pending.count)
                }
            case .blocked(let failure):
                // Not handled: with commit-before its offset was committed already, and is put
                // back so the record is read again once the callee answers.
                if service.commit == .before { _ = commit(partition, record.offset, at: record.offset) }
                // Read again in every drain until the callee answers: counted once, then.
                report.recordsRead -= 1
                stop(partition, at: record.offset, .blocked, failure.description)
                if traced { trace.pending(service.name, place, nil, .blocked(reason: failure.description), emissions: 0..<0) }
            }
            if report.stop != nil { break }
            handled = record.offset + 1
        }
        do throws(BrokerError) {
            try pending.produce(to: broker, counting: &report.emitted)
        } catch {
            // Nothing of the batch counts: it is read again once the produce can succeed.
            report.recordsRead = readBefore
            trace.dropPending()
            stop(partition, at: first.offset, .other, "producing its emissions failed: \(error)")
            return records.count
        }
        trace.land(place: pending.place(at:), value: pending.value(at:))
        if service.commit == .after, handled > next {
            let place = RecordPlace(topic: partition.topic, partition: partition.partition, offset: first.offset)
            if crash == .beforeCommit, report.stop == nil {
                crashed(at: place, .beforeCommit, trace: &trace)
            } else if commit(partition, handled, at: first.offset), crash == .afterCommit, report.stop == nil {
                crashed(at: place, .afterCommit, trace: &trace)
            }
        }
        if !rebalanced { positions[index].next = max(handled, next) }
        return records.count
    }

    /// Stops the service, the armed crash having hit the record at `place` at `point`. With commit
    /// before, a crash hits before the record is handled, and the trace says so; with commit
    /// after, it hits once the record's step is described, and marks it.
    private mutating func crashed(at place: RecordPlace, _ point: CrashPoint, trace: inout FlowTrace) {
        stop(place, .crashed, "\(point.phrase): \(point.consequence(under: service.commit, dedupe: service.dedupe))")
        if report.stop?.kind == .crashed { report.stop?.crash = point }
        if service.commit == .before {
            if trace.take() { trace.pending(service.name, place, nil, .notHandled, emissions: 0..<0, crash: point) }
        } else {
            trace.mark(place, crashed: point)
        }
    }

    /// Commits `offset` for `partition`; a refused commit stops the service at `at`, unless the
    /// group rebalances: then the member rejoins, and whoever owns the partition next reads
    /// from the last offset committed, as Kafka's consumers do.
    private mutating func commit(_ partition: TopicPartition, _ offset: Int64, at: Int64) -> Bool {
        let answers = member.commit([partition: CommittedOffset(offset: offset)])
        if answers.values.contains(where: { $0 != .none }), !member.machine.isStable {
            rebalanced = true
            return false
        }
        if let refused = answers.first(where: { $0.value != .none }) {
            stop(partition, at: at, .other, "committing offset \(offset) was refused: \(refused.value)")
            return false
        }
        return true
    }

    private mutating func stop(_ partition: TopicPartition, at offset: Int64, _ kind: ServiceStop.Kind, _ reason: String) {
        stop(RecordPlace(topic: partition.topic, partition: partition.partition, offset: offset), kind, reason)
    }

    private mutating func stop(_ record: RecordPlace?, _ kind: ServiceStop.Kind, _ reason: String) {
        if report.stop == nil { report.stop = ServiceStop(record: record, kind: kind, reason: reason) }
    }
}

/// A batch's emissions, per topic in the order topics first appear, each topic's in order.
private struct PendingEmissions {
    /// The topics in the order they first appear, and each one's batch.
    var topics: [String] = []
    var batches: [[ProducerRecord]] = []
    /// Per batch, how many of its emissions count as emitted: the rules' own, not a dead letter
    /// or a remembered id.
    var counted: [Int] = []
    /// Per emission in the order added: its batch and its index there.
    var order: [(batch: Int, index: Int)] = []
    /// Where each batch landed, once produced.
    var landed: [[RecordPosition]] = []

    var count: Int { order.count }

    /// The value of emission `index`, in the order added.
    func value(at index: Int) -> [UInt8]? { batches[order[index].batch][order[index].index].value.map(Array.init) }

    /// Where emission `index` landed, once produced.
    func place(at index: Int) -> RecordPlace {
        let (batch, position) = order[index]
        let landing = landed[batch][position]
        return RecordPlace(topic: topics[batch], partition: landing.partition, offset: landing.offset)
    }

    /// Adds `emissions`, counted as emitted unless `counted` is false; returns the index of the first.
    mutating func add(_ emissions: [Emission], counted: Bool = true) -> Int {
        let first = order.count
        for emission in emissions {
            let batch = self.batch(for: emission.topic)
            if counted { self.counted[batch] += 1 }
            order.append((batch, batches[batch].count))
            batches[batch].append(ProducerRecord(key: emission.key, value: emission.value, headers: emission.headers))
        }
        return first
    }

    /// The batch of `topic`: a service's rules write to a few topics, so a scan from the last
    /// one used beats hashing the name for every emission.
    private mutating func batch(for topic: String) -> Int {
        if let last = topics.indices.last, topics[last] == topic { return last }
        if let found = topics.firstIndex(of: topic) { return found }
        topics.append(topic)
        batches.append([])
        counted.append(0)
        return topics.count - 1
    }

    /// Produces every batch, adding the emissions that count as emitted to `emitted`, per topic.
    mutating func produce(to broker: Broker, counting emitted: inout [String: Int]) throws(BrokerError) {
        for (index, (topic, batch)) in zip(topics, batches).enumerated() {
            landed.append(try broker.publish(topic, batch))
            if counted[index] > 0 { emitted[topic, default: 0] += counted[index] }
        }
    }
}
