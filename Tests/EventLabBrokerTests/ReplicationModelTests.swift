@testable import EventLabCore
import EventLabTestSupport
import Testing

/// What the replication property test remembers of a run: every acks=all write acknowledged,
/// with the replicas that had it, and what may excuse its loss — and the checks of Kafka's
/// replication rules against the cluster after each operation.
struct ReplicationModel {
    /// A record written with acks=all and acknowledged.
    struct Acked {
        var partition: Int32
        var offset: Int64
        var value: [UInt8]
        /// The in-sync replicas that had it when it was acknowledged.
        var replicas: [Int32]
        /// The operation during which it was acknowledged.
        var operation: Int
        /// The broker clock when that operation ended: every replica that had it appended it
        /// before, so it is flushed under `os` 30 s later.
        var acknowledgedBy: Int64
    }

    /// Records written with acks=all, not yet acknowledged.
    struct Pending {
        var partition: Int32
        var offsets: Range<Int64>
        var values: [[UInt8]]
    }

    /// How long Linux keeps a dirty page before writing it back (`vm.dirty_expire_centisecs`):
    /// what the flush policy `os` leaves unflushed.
    static let dirtyExpiryMs: Int64 = 30_000

    let minInsync: Int
    /// Whether a power loss can lose what was acknowledged (flush policy `os`, or memory).
    let powerLossLoses: Bool
    private(set) var acked: [Acked] = []
    private(set) var pending: [Pending] = []
    private(set) var uncleanElections: [(partition: Int32, lost: Range<Int64>, operation: Int)] = []
    private(set) var powerLosses: [(broker: Int32, operation: Int, at: Int64)] = []
    /// Power losses of a partition's last in-sync replica: the records they removed from it.
    private(set) var isrPowerLosses: [(partition: Int32, removed: Range<Int64>, operation: Int)] = []
    /// Each partition's in-sync set after the last operation.
    private var lastIsr: [Int32: [Int32]] = [:]
    /// The acknowledgements of the current operation: which replicas they said had the records.
    private var recentAcknowledgements: [(partition: Int32, offsets: Range<Int64>, replicas: [Int32])] = []
    /// Acknowledged records lost to a power loss of the last in-sync replica while a replica of
    /// their acknowledging in-sync set still held them (Kafka 2.5 loses them too: the stopped or
    /// crashed replica truncates to the new leader when it returns; KIP-966 closes this).
    private(set) var lostWhileAnAcknowledgerHeldThem = 0
    /// Acknowledged records lost to an unclean election, and to power losses of every replica
    /// that had them.
    private(set) var lostToUnclean = 0
    private(set) var lostToPower = 0
    /// The operation at which each value an idempotent producer sent was first sent.
    var firstSent: [[UInt8]: Int] = [:]
    /// Broken rules, in words.
    private(set) var violations: [String] = []
    private var highWatermarks: [Int32: (value: Int64, operation: Int)] = [:]
    private var epochLeaders: [Int32: [Int32: Int32]] = [:]
    private var lastEpoch: [Int32: Int32] = [:]
    /// What consumers read so far, by partition and offset, with the operation that first showed it.
    private var seen: [Int32: [Int64: (value: [UInt8], operation: Int)]] = [:]

    init(minInsync: Int, powerLossLoses: Bool) {
        self.minInsync = minInsync
        self.powerLossLoses = powerLossLoses
    }

    mutating func report(_ text: String, _ operation: Int) {
        violations.append("after operation \(operation): \(text)")
    }

    /// An acks=all publish of `values` to `partition` at `offsets` that the broker accepted,
    /// with where it stood after the publish.
    mutating func published(_ values: [[UInt8]], partition: Int32, offsets: Range<Int64>, _ state: Acknowledgement, operation: Int, now: Int64) {
        pending.append(Pending(partition: partition, offsets: offsets, values: values))
        if case .acknowledged(let replicas) = state {
            acknowledge(partition: partition, offsets: offsets, replicas: replicas, operation: operation, now: now)
        } else if case .failed = state {
            pending.removeLast()
        }
    }

    /// A power loss of `broker`.
    mutating func poweredOff(_ broker: Int32, operation: Int, now: Int64) {
        powerLosses.append((broker, operation, now))
    }

    /// What the cluster reported during an operation.
    mutating func observe(_ events: [ClusterEvent], operation: Int, now: Int64) {
        for event in events {
            switch event {
            case .leaderElected(let partition, let leader, let epoch, _, let reason):
                elected(leader, epoch: epoch, partition: partition.partition, operation: operation)
                if case .unclean(let lost) = reason { uncleanElections.append((partition.partition, lost, operation)) }
            case .acknowledged(let partition, let offsets, let replicas):
                acknowledge(partition: partition.partition, offsets: offsets, replicas: replicas, operation: operation, now: now)
            case .lostUnflushed(let partition, let broker, let removed):
                if !powerLossLoses { report("p\(partition.partition) broker \(broker) lost \(removed) to a power loss though every batch is flushed", operation) }
                if lastIsr[partition.partition] == [broker] { isrPowerLosses.append((partition.partition, removed, operation)) }
            case .notAcknowledged(let partition, let offsets, _):
                pending.removeAll { $0.partition == partition.partition && $0.offsets.overlaps(offsets) }
            default:
                break
            }
        }
    }

    /// Asks the broker where each pending write stands, for acknowledgements no event reported.
    mutating func poll(_ broker: Broker, operation: Int, now: Int64) {
        for waiting in pending {
            switch broker.acknowledgement("t", partition: waiting.partition, through: waiting.offsets.upperBound - 1) {
            case .acknowledged(let replicas):
                acknowledge(partition: waiting.partition, offsets: waiting.offsets, replicas: replicas, operation: operation, now: now)
            case .failed:
                pending.removeAll { $0.partition == waiting.partition && $0.offsets == waiting.offsets }
            case .waiting:
                break
            }
        }
    }

    private mutating func acknowledge(partition: Int32, offsets: Range<Int64>, replicas: [Int32], operation: Int, now: Int64) {
        recentAcknowledgements.append((partition, offsets, replicas))
        if replicas.count < minInsync {
            report("p\(partition) @\(offsets) acknowledged by \(replicas) only, with min.insync.replicas \(minInsync)", operation)
        }
        for (index, waiting) in pending.enumerated().reversed() where waiting.partition == partition && waiting.offsets.overlaps(offsets) {
            for (offset, value) in zip(waiting.offsets, waiting.values) where offsets.contains(offset) {
                acked.append(Acked(partition: partition, offset: offset, value: value, replicas: replicas, operation: operation, acknowledgedBy: now))
            }
            if offsets.lowerBound <= waiting.offsets.lowerBound && waiting.offsets.upperBound <= offsets.upperBound {
                pending.remove(at: index)
            } else {
                let rest = waiting.offsets.clamped(to: offsets.upperBound..<waiting.offsets.upperBound)
                pending[index] = Pending(partition: partition, offsets: rest, values: Array(waiting.values.suffix(rest.count)))
            }
        }
    }

    private mutating func elected(_ leader: Int32, epoch: Int32, partition: Int32, operation: Int) {
        if let previous = epochLeaders[partition]?[epoch], previous != leader {
            report("p\(partition) epoch \(epoch) has two leaders, \(previous) and \(leader)", operation)
        }
        if let last = lastEpoch[partition], epoch < last {
            report("p\(partition) epoch went back from \(last) to \(epoch)", operation)
        }
        epochLeaders[partition, default: [:]][epoch] = leader
        lastEpoch[partition] = max(lastEpoch[partition] ?? epoch, epoch)
    }

    /// Whether something that may lose records below the high watermark happened to
    /// `partition` since `operation`: an unclean election, or a power loss.
    func excused(_ partition: Int32, since operation: Int) -> Bool {
        uncleanElections.contains { $0.partition == partition && $0.operation >= operation }
            || isrPowerLosses.contains { $0.partition == partition && $0.operation >= operation }
    }

    /// Why `record` may be gone, or nil if it must not be: an unclean election since it was
    /// acknowledged, or a power loss of the partition's last in-sync replica before it had
    /// flushed it.
    private func excuse(_ record: Acked) -> String? {
        let lost = isrPowerLosses.contains {
            $0.partition == record.partition && $0.operation >= record.operation && $0.removed.contains(record.offset)
        }
        if lost { return "power" }
        return uncleanElections.contains { $0.partition == record.partition && $0.operation >= record.operation } ? "unclean" : nil
    }

    /// Whether every replica that acknowledged `record` lost power before flushing it.
    private func everyAcknowledgerLostPower(_ record: Acked) -> Bool {
        let window = record.operation..., deadline = record.acknowledgedBy + Self.dirtyExpiryMs
        return record.replicas.allSatisfy { broker in
            powerLosses.contains { $0.broker == broker && window.contains($0.operation) && $0.at < deadline }
        }
    }

    /// Checks every rule against the cluster as it is after `operation`; returns what a
    /// consumer sees, partition by partition, to compare backends.
    mutating func check(_ broker: Broker, operation: Int) -> [String] {
        let partitions: [PartitionDescription]
        do {
            partitions = try broker.describeTopic("t").partitions
        } catch {
            report("describing the topic failed: \(error)", operation)
            return []
        }
        var views: [String] = []
        defer { recentAcknowledgements = [] }
        for partition in partitions {
            let index = partition.index
            let inSync = Set(lastIsr[index] ?? partition.replicas).union(partition.isr)
            for acknowledgement in recentAcknowledgements where acknowledgement.partition == index && !Set(acknowledgement.replicas).isSubset(of: inSync) {
                report("p\(index) @\(acknowledgement.offsets) acknowledged as held by \(acknowledgement.replicas), but only \(inSync.sorted()) were in sync", operation)
            }
            lastIsr[index] = partition.isr
            if !Set(partition.isr).isSubset(of: partition.replicas) { report("p\(index) ISR \(partition.isr) outside replicas \(partition.replicas)", operation) }
            if let last = lastEpoch[index], partition.leaderEpoch < last { report("p\(index) epoch went back from \(last) to \(partition.leaderEpoch)", operation) }
            guard let leader = partition.leader else {
                views.append("p\(index) offline")
                continue
            }
            elected(leader, epoch: partition.leaderEpoch, partition: index, operation: operation)
            if !partition.isr.contains(leader) { report("p\(index) leader \(leader) not in ISR \(partition.isr)", operation) }
            let hw = partition.highWatermark
            for member in partition.isr where (partition.replicaEnds[member] ?? -1) < hw {
                report("p\(index) in-sync replica \(member) ends at \(partition.replicaEnds[member] ?? -1), below the high watermark \(hw)", operation)
            }
            if let last = highWatermarks[index], hw < last.value, !excused(index, since: last.operation) {
                report("p\(index) high watermark went back from \(last.value) to \(hw)", operation)
            }
            highWatermarks[index] = (hw, operation)
            let records: [Record]
            do {
                records = try broker.read("t", partition: index, from: 0, maxRecords: .max)
            } catch {
                report("p\(index) reading from leader \(leader) failed: \(error)", operation)
                continue
            }
            if records.map(\.offset) != Array(0..<hw) {
                report("p\(index) a consumer read offsets \(records.first?.offset ?? -1)…\(records.last?.offset ?? -1) (\(records.count)) with the high watermark at \(hw)", operation)
            }
            compareWithSeen(records, partition: index, operation: operation)
            compareReplicas(broker, partition: partition, operation: operation)
            views.append("p\(index) hw \(hw) " + records.map { "\($0.offset)=\(text($0.value))" }.joined(separator: ","))
            checkAcknowledged(records, partition: index, operation: operation)
            checkNoDuplicates(records, partition: index, operation: operation)
        }
        return views
    }

    /// The copies of live brokers agree batch for batch, byte for byte, below the high
    /// watermark and both their log ends.
    private mutating func compareReplicas(_ broker: Broker, partition: PartitionDescription, operation: Int) {
        let alive = Set(broker.cluster().brokers.filter(\.condition.isAlive).map(\.id))
        let copies = broker.state.withLock { state -> [Int32: [RecordBatch]] in
            guard let topic = state.topics[try! TopicName("t")] else { return [:] }
            return topic.partitions[Int(partition.index)].copies.filter { alive.contains($0.key) }.mapValues { log in
                (try? log.storage.batches(from: log.logStartOffset, maxBytes: .max)) ?? []
            }
        }
        let ids = copies.keys.sorted()
        for (position, first) in ids.enumerated() {
            for second in ids[(position + 1)...] {
                let limit = min(partition.highWatermark, partition.replicaEnds[first] ?? 0, partition.replicaEnds[second] ?? 0)
                let below = { (id: Int32) in copies[id]!.filter { $0.nextOffset <= limit }.map { $0.encoded() } }
                if below(first) != below(second) {
                    report("p\(partition.index) brokers \(first) and \(second) hold different batches below \(limit)", operation)
                }
            }
        }
    }

    /// Records below the high watermark stay as they were unless an unclean election or power
    /// loss came since they were first read.
    private mutating func compareWithSeen(_ records: [Record], partition: Int32, operation: Int) {
        var known = seen[partition] ?? [:]
        for record in records {
            let value = Array(record.value ?? [])
            if let before = known[record.offset], before.value != value {
                if !excused(partition, since: before.operation) {
                    report("p\(partition) @\(record.offset) read \(text(record.value)) where consumers read \(text(before.value[...])) before", operation)
                }
                known = known.filter { $0.key < record.offset }
            }
            if known[record.offset] == nil { known[record.offset] = (value, operation) }
        }
        seen[partition] = known
    }

    /// No value an idempotent producer sent is read twice, unless an unclean election or a power
    /// loss came since it was first sent.
    private mutating func checkNoDuplicates(_ records: [Record], partition: Int32, operation: Int) {
        guard !firstSent.isEmpty else { return }
        var offsets: [[UInt8]: Int64] = [:]
        for record in records {
            guard let value = record.value.map(Array.init), let first = firstSent[value] else { continue }
            if let earlier = offsets[value], !excused(partition, since: first) {
                report("p\(partition) \(text(record.value)) is both @\(earlier) and @\(record.offset)", operation)
            }
            offsets[value] = record.offset
        }
    }

    private mutating func checkAcknowledged(_ records: [Record], partition: Int32, operation: Int) {
        var kept: [Acked] = []
        let read = Dictionary(records.map { ($0.offset, $0) }, uniquingKeysWith: { first, _ in first })
        for record in acked {
            guard record.partition == partition else {
                kept.append(record)
                continue
            }
            let found = read[record.offset]
            if let found, Array(found.value ?? []) == record.value {
                kept.append(record)
            } else if let excuse = excuse(record) {
                if excuse == "unclean" { lostToUnclean += 1 } else { lostToPower += 1 }
                let said = uncleanElections.contains { $0.partition == partition && $0.operation >= record.operation && $0.lost.contains(record.offset) }
                if excuse == "unclean" && !said {
                    report("p\(partition) @\(record.offset) \(text(record.value[...])), acknowledged at operation \(record.operation), was lost to an unclean election whose lost offsets do not include it: a consumer reads \(found.map { text($0.value) } ?? "nothing") there", operation)
                }
                if excuse == "power" && !everyAcknowledgerLostPower(record) { lostWhileAnAcknowledgerHeldThem += 1 }
            } else {
                report("p\(partition) @\(record.offset) \(text(record.value[...])), acknowledged by \(record.replicas) at operation \(record.operation), is gone: a consumer reads \(found.map { text($0.value) } ?? "nothing") there", operation)
                // Reported once.
            }
        }
        acked = kept
    }
}

@Suite("The replication model's own rules")
struct ReplicationModelTests {
    @Test("an acknowledgement moves a pending write to the acknowledged, in part or whole")
    func acknowledgementsMoveWrites() {
        var model = ReplicationModel(minInsync: 2, powerLossLoses: true)
        model.published([[1], [2], [3]], partition: 0, offsets: 4..<7, .waiting(for: [2]), operation: 0, now: 0)
        model.observe([.acknowledged(TopicPartition("t", 0), offsets: 0..<5, replicas: [1, 2])], operation: 1, now: 10)
        #expect(model.acked.map(\.offset) == [4])
        #expect(model.pending.map(\.offsets) == [5..<7])
        #expect(model.pending.first?.values == [[2], [3]])
        model.observe([.acknowledged(TopicPartition("t", 0), offsets: 5..<7, replicas: [1])], operation: 2, now: 20)
        #expect(model.acked.map(\.offset) == [4, 5, 6])
        #expect(model.pending.isEmpty)
        #expect(model.violations.count == 1)
    }

    @Test("two leaders in one epoch, or an epoch going back, are violations")
    func epochs() {
        var model = ReplicationModel(minInsync: 1, powerLossLoses: true)
        let partition = TopicPartition("t", 0)
        model.observe([.leaderElected(partition, leader: 1, epoch: 1, isr: [1], reason: .leaderDied)], operation: 0, now: 0)
        model.observe([.leaderElected(partition, leader: 2, epoch: 1, isr: [2], reason: .leaderDied)], operation: 1, now: 0)
        model.observe([.leaderElected(partition, leader: 2, epoch: 0, isr: [2], reason: .leaderDied)], operation: 2, now: 0)
        #expect(model.violations.count == 2)
    }
}
