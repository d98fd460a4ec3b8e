import EventLabCore
import EventLabTestSupport
import Synchronization

/// A partition's idempotent producer in a generated replication run: it sends each batch with
/// acks=all and sends it again, same sequence, until it is acknowledged, as a real client does.
struct IdempotentClient {
    /// A batch sent and not yet acknowledged.
    struct InFlight {
        var sequence: Int32
        var values: [[UInt8]]
        /// Where its last send was appended; nil once that send failed, so it is sent again.
        var appended: AppendedBatch?
    }

    var producerId: Int64
    var nextSequence: Int32 = 0
    var inFlight: InFlight?
}

/// The one answer of a wait, if it came at once.
private final class AnswerBox: Sendable {
    let value = Mutex<Result<Void, BrokerError>?>(nil)
}

extension ReplicationRun {
    /// The partition's idempotent producer's turn: it learns whether its batch in flight was
    /// acknowledged (the model then holds the broker to it), sends it again if its write failed,
    /// or sends its next batch of `count` records.
    mutating func produce(_ partition: Int32, count: Int, index: Int, scenario: ReplicationScenario, cluster: TestCluster) throws(BrokerError) -> String {
        let broker = cluster.broker
        var client = producers[partition] ?? IdempotentClient(producerId: 1_000 + Int64(partition))
        defer { producers[partition] = client }
        if let flight = client.inFlight, let appended = flight.appended {
            switch Self.answer(broker, partition, appended) {
            case nil:
                return "seq \(flight.sequence) waits"
            case .success:
                acknowledged(flight, appended, partition: partition, index: index, cluster: cluster)
                client.inFlight = nil
                return "seq \(flight.sequence) acknowledged @\(appended.baseOffset)"
            case .failure:
                client.inFlight!.appended = nil
                idempotentRetries += 1
            }
        }
        if client.inFlight == nil {
            let values = (0..<count).map { Array("i\(scenario.seed)-\(index)-\($0)".utf8) }
            client.inFlight = IdempotentClient.InFlight(sequence: client.nextSequence, values: values)
            client.nextSequence += Int32(count)
            for value in values { model.firstSent[value] = index }
        }
        let flight = client.inFlight!
        do throws(BrokerError) {
            let batch = try Self.batch(producerId: client.producerId, sequence: flight.sequence, values: flight.values, timestamp: cluster.clock.now())
            let appended = try broker.appendBatch(batch, topic: "t", partition: partition, acks: .all)
            client.inFlight!.appended = appended
            if case .success = Self.answer(broker, partition, appended) {
                acknowledged(flight, appended, partition: partition, index: index, cluster: cluster)
                client.inFlight = nil
            }
            return "seq \(flight.sequence) @\(appended.baseOffset)…\(appended.lastOffset) epoch \(appended.leaderEpoch)"
        } catch {
            if error.code == .outOfOrderSequenceNumber {
                // The leader lost batches it acknowledged: only an unclean election or a power loss may do that.
                let first = flight.values.compactMap { model.firstSent[$0] }.min() ?? index
                if !model.excused(partition, since: 0) {
                    model.report("p\(partition) producer \(client.producerId) seq \(flight.sequence) (first sent at operation \(first)) refused: \(error.message)", index)
                }
                // As a client does then: a new producer id, its batch sent again from sequence 0.
                client = IdempotentClient(producerId: client.producerId + 10, nextSequence: Int32(flight.values.count), inFlight: IdempotentClient.InFlight(sequence: 0, values: flight.values))
            }
            throw error
        }
    }

    /// Tells the model that the batch in flight, last appended at `appended`, was acknowledged.
    private mutating func acknowledged(_ flight: IdempotentClient.InFlight, _ appended: AppendedBatch, partition: Int32, index: Int, cluster: TestCluster) {
        let broker = cluster.broker
        let offsets = appended.baseOffset..<(appended.lastOffset + 1)
        let state = broker.acknowledgement("t", partition: partition, through: appended.lastOffset)
        guard case .acknowledged = state else {
            model.report("p\(partition) @\(offsets) acknowledged to the producer while the broker says \(state)", index)
            return
        }
        idempotentAcknowledged += 1
        model.published(flight.values, partition: partition, offsets: offsets, state, operation: index, now: cluster.clock.now())
    }

    /// What `whenAcknowledged` answers at once for `appended`; nil while it waits.
    private static func answer(_ broker: Broker, _ partition: Int32, _ appended: AppendedBatch) -> Result<Void, BrokerError>? {
        let box = AnswerBox()
        let cancel = broker.whenAcknowledged("t", partition: partition, through: appended.lastOffset, leaderEpoch: appended.leaderEpoch, timeoutMs: 3_600_000) { result in
            box.value.withLock { $0 = result }
        }
        cancel()
        return box.value.withLock { $0 }
    }

    /// A batch of `values` stamped `timestamp` from producer `producerId` (epoch 0) whose first
    /// record is `sequence`, encoded as a client encodes it.
    private static func batch(producerId: Int64, sequence: Int32, values: [[UInt8]], timestamp: Int64) throws(BrokerError) -> RecordBatch {
        let records = values.enumerated().map { Record(offset: Int64($0.offset), timestamp: timestamp, key: nil, value: $0.element) }
        var encoded = RecordBatch(records: records).encoded()
        encoded.replaceSubrange(43..<57, with: withUnsafeBytes(of: producerId.bigEndian, Array.init)
            + withUnsafeBytes(of: Int16(0).bigEndian, Array.init) + withUnsafeBytes(of: sequence.bigEndian, Array.init))
        let crc = CRC32C.checksum(encoded[21...])
        encoded.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
        return try RecordBatch(validating: encoded)
    }
}
