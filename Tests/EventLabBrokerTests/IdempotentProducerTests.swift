import Testing
import EventLabCore
import EventLabTestSupport

@Suite("Idempotent producers")
struct IdempotentProducerTests {
    /// A batch of `count` records from producer `id` at `epoch`, its first record numbered `sequence`.
    func batch(id: Int64 = 7, epoch: Int16 = 0, sequence: Int32, count: Int = 1) throws -> RecordBatch {
        try idempotentBatch(id: id, epoch: epoch, sequence: sequence, keys: Array(repeating: nil, count: count))
    }

    func topic(_ backend: Backend) throws -> Broker {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 2)
        return broker
    }

    @Test("a batch sent again after a lost acknowledgement is not written twice: its first offset is the answer", arguments: Backend.allCases)
    func retriedBatch(backend: Backend) throws {
        let broker = try topic(backend)
        #expect(try broker.append(batch(sequence: 0, count: 2), topic: "t", partition: 0) == 0)
        #expect(try broker.append(batch(sequence: 2), topic: "t", partition: 0) == 2)
        #expect(try broker.append(batch(sequence: 0, count: 2), topic: "t", partition: 0) == 0)
        #expect(try broker.append(batch(sequence: 2), topic: "t", partition: 0) == 2)
        #expect(try broker.values("t") == ["s0", "s1", "s2"])
    }

    @Test("a batch that skips sequence numbers is refused with OUT_OF_ORDER_SEQUENCE_NUMBER and nothing is written", arguments: Backend.allCases)
    func gap(backend: Backend) throws {
        let broker = try topic(backend)
        _ = try broker.append(batch(sequence: 0, count: 2), topic: "t", partition: 0)
        let error = brokerError { _ = try broker.append(batch(sequence: 5), topic: "t", partition: 0) }
        #expect(error?.code == .outOfOrderSequenceNumber)
        #expect(error?.message.contains("the next one expected is 2") == true)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 2)
    }

    @Test("an older epoch is fenced with INVALID_PRODUCER_EPOCH; a newer epoch starts again at sequence 0", arguments: Backend.allCases)
    func epochs(backend: Backend) throws {
        let broker = try topic(backend)
        _ = try broker.append(batch(epoch: 0, sequence: 0), topic: "t", partition: 0)
        #expect(brokerError { _ = try broker.append(batch(epoch: 1, sequence: 4), topic: "t", partition: 0) }?.code == .outOfOrderSequenceNumber)
        #expect(try broker.append(batch(epoch: 1, sequence: 0), topic: "t", partition: 0) == 1)
        #expect(brokerError { _ = try broker.append(batch(epoch: 0, sequence: 1), topic: "t", partition: 0) }?.code == .invalidProducerEpoch)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 2)
    }

    @Test("each partition keeps its own sequence, a producer it has not seen may start anywhere, and plain batches are untouched", arguments: Backend.allCases)
    func perPartition(backend: Backend) throws {
        let broker = try topic(backend)
        _ = try broker.append(batch(sequence: 0), topic: "t", partition: 0)
        #expect(try broker.append(batch(sequence: 9), topic: "t", partition: 1) == 0)
        #expect(try broker.append(batch(id: 8, sequence: 3), topic: "t", partition: 0) == 1)
        let plain = RecordBatch(records: [Record(offset: 0, timestamp: 1, key: nil, value: bytes("plain"))])
        #expect(try broker.append(plain, topic: "t", partition: 0) == 2)
        #expect(try broker.append(plain, topic: "t", partition: 0) == 3)
    }

    @Test("only the last five batches are remembered: an older one sent again is out of order, as in Kafka")
    func fiveBatches() throws {
        let broker = try topic(.memory)
        for sequence in Int32(0)..<6 { _ = try broker.append(batch(sequence: sequence), topic: "t", partition: 0) }
        #expect(try broker.append(batch(sequence: 1), topic: "t", partition: 0) == 1)
        #expect(brokerError { _ = try broker.append(batch(sequence: 0), topic: "t", partition: 0) }?.code == .outOfOrderSequenceNumber)
    }

    @Test("producer ids are never handed out twice")
    func newIds() throws {
        let broker = try topic(.memory)
        let ids = (0..<3).map { _ in broker.newProducerId() }
        #expect(ids[0] >= 0 && ids[0] < ids[1] && ids[1] < ids[2])
    }
}
