import EventLabCore

/// One service during a drain: its group member, its positions, and what it did.
struct ServiceRunner {
    let service: Service
    let broker: Broker
    let member: GroupMember
    var report: ServiceDrain
    /// The next offset to read, per assigned partition, in topic and partition order.
    var positions: [(partition: TopicPartition, next: Int64)] = []

    init(service: Service, broker: Broker) {
        self.service = service
        self.broker = broker
        report = ServiceDrain(name: service.name)
        member = GroupMember(
            broker: broker,
            configuration: GroupMemberConfiguration(groupId: service.name, clientId: service.name, topics: service.sources))
        member.start()
        guard member.machine.isStable else {
            stop(nil, "its consumer group \(service.name) has other members, so it was given no partitions: stop the group's other consumers first")
            return
        }
        let committed = broker.committedOffsets(groupId: service.name)
        for partition in member.assignment.sorted() {
            guard let offsets = try? broker.offsets(partition.topic, partition: partition.partition) else { continue }
            let start = committed[partition].map { max($0.offset, offsets.logStartOffset) } ?? offsets.logStartOffset
            positions.append((partition, start))
        }
    }

    /// Whether any partition has records past the service's position.
    func hasUnread() -> Bool {
        report.stop == nil && positions.contains { position in
            (try? broker.offsets(position.partition.topic, partition: position.partition.partition).logEndOffset).map { $0 > position.next } ?? false
        }
    }

    /// Reads one batch from each partition and handles it; returns the records read.
    mutating func round(tables: (any ExpressionTables)?) -> Int {
        var read = 0
        for index in positions.indices where report.stop == nil {
            read += readBatch(index, tables: tables)
        }
        return read
    }

    private mutating func readBatch(_ index: Int, tables: (any ExpressionTables)?) -> Int {
        let (partition, next) = positions[index]
        let records: [Record]
        do throws(BrokerError) {
            records = try broker.read(partition.topic, partition: partition.partition, from: next, maxRecords: FlowRuntime.readRecords)
        } catch {
            stop(partition, at: next, "reading failed: \(error)")
            return 0
        }
        guard let first = records.first else { return 0 }
        var pending = PendingEmissions()
        var handled = first.offset
        for record in records {
            report.recordsRead += 1
            if service.commit == .before, !commit(partition, record.offset + 1, at: record.offset) { break }
            switch service.react(to: record, topic: partition.topic, partition: partition.partition, tables: tables) {
            case .handled(_, let emissions):
                pending.add(emissions)
            case .skipped:
                report.skipped += 1
            case .poison(let poison):
                guard let deadLetter = poison.deadLetter else {
                    stop(partition, at: record.offset, poison.description)
                    break
                }
                pending.add([deadLetter])
                report.deadLettered += 1
            case .blocked(let failure):
                stop(partition, at: record.offset, failure.description)
            }
            if report.stop != nil { break }
            handled = record.offset + 1
        }
        do throws(BrokerError) {
            try pending.produce(to: broker, counting: &report.emitted)
        } catch {
            stop(partition, at: first.offset, "producing its emissions failed: \(error)")
            return records.count
        }
        if service.commit == .after, handled > next { _ = commit(partition, handled, at: first.offset) }
        positions[index].next = max(handled, next)
        return records.count
    }

    /// Commits `offset` for `partition`; a refused commit stops the service at `at`.
    private mutating func commit(_ partition: TopicPartition, _ offset: Int64, at: Int64) -> Bool {
        let answers = member.commit([partition: CommittedOffset(offset: offset)])
        if let refused = answers.first(where: { $0.value != .none }) {
            stop(partition, at: at, "committing offset \(offset) was refused: \(refused.value)")
            return false
        }
        return true
    }

    private mutating func stop(_ partition: TopicPartition, at offset: Int64, _ reason: String) {
        stop(RecordPlace(topic: partition.topic, partition: partition.partition, offset: offset), reason)
    }

    private mutating func stop(_ record: RecordPlace?, _ reason: String) {
        if report.stop == nil { report.stop = ServiceStop(record: record, reason: reason) }
    }
}

/// A batch's emissions, per topic in the order topics first appear, each topic's in order.
private struct PendingEmissions {
    var topics: [String] = []
    var records: [String: [ProducerRecord]] = [:]

    mutating func add(_ emissions: [Emission]) {
        for emission in emissions {
            if records[emission.topic] == nil { topics.append(emission.topic) }
            records[emission.topic, default: []].append(ProducerRecord(key: emission.key, value: emission.value, headers: emission.headers))
        }
    }

    func produce(to broker: Broker, counting emitted: inout [String: Int]) throws(BrokerError) {
        for topic in topics {
            let batch = records[topic]!
            _ = try broker.publish(topic, batch)
            emitted[topic, default: 0] += batch.count
        }
    }
}
