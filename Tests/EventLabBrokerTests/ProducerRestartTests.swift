import EventLabCore
import EventLabTestSupport
import Testing

/// An idempotent producer's state is rebuilt from the log when a partition opens, so what it
/// promises — a retried batch is written once, an older epoch is fenced — holds across a restart.
@Suite("Idempotent producers across a restart")
struct ProducerRestartTests {
    func batch(id: Int64 = 7, epoch: Int16 = 0, sequence: Int32, keys: [String?] = [nil]) throws -> RecordBatch {
        try idempotentBatch(id: id, epoch: epoch, sequence: sequence, keys: keys)
    }

    func topic(_ backend: Backend, configure: (inout TopicConfig) -> Void = { _ in }) throws -> TestBroker {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        configure(&config)
        try test.broker.createTopic("t", partitions: 1, config: config)
        return test
    }

    func append(_ test: TestBroker, _ batch: RecordBatch) throws -> Int64 {
        try test.broker.append(batch, topic: "t", partition: 0)
    }

    @Test(
        "a batch retried after a restart is written once, at its first offset, and the next sequence follows on",
        arguments: Backend.allCases, [true, false])
    func retryAfterRestart(backend: Backend, clean: Bool) throws {
        let test = try topic(backend)
        #expect(try append(test, batch(sequence: 0, keys: [nil, nil])) == 0)
        #expect(try append(test, batch(sequence: 2)) == 2)
        try test.reopen(clean: clean)
        #expect(try append(test, batch(sequence: 0, keys: [nil, nil])) == 0)
        #expect(try append(test, batch(sequence: 2)) == 2)
        #expect(try test.broker.values("t") == ["s0", "s1", "s2"])
        let gap = brokerError { _ = try append(test, batch(sequence: 5)) }
        #expect(gap?.code == .outOfOrderSequenceNumber)
        #expect(gap?.message.contains("the next one expected is 3") == true)
        #expect(try append(test, batch(sequence: 3)) == 3)
    }

    @Test("after a restart an older epoch is still fenced, and the newer one keeps its sequence", arguments: Backend.allCases, [true, false])
    func epochAfterRestart(backend: Backend, clean: Bool) throws {
        let test = try topic(backend)
        _ = try append(test, batch(epoch: 0, sequence: 0))
        _ = try append(test, batch(epoch: 1, sequence: 0))
        try test.reopen(clean: clean)
        #expect(brokerError { _ = try append(test, batch(epoch: 0, sequence: 1)) }?.code == .invalidProducerEpoch)
        #expect(brokerError { _ = try append(test, batch(epoch: 1, sequence: 4)) }?.code == .outOfOrderSequenceNumber)
        #expect(try append(test, batch(epoch: 1, sequence: 1)) == 2)
        #expect(try test.broker.offsets("t", partition: 0).logEndOffset == 3)
    }

    @Test(
        "a batch compaction shrinks keeps its producer and sequence range: after a restart its retry is still recognised",
        arguments: Backend.allCases)
    func compactionThenRestart(backend: Backend) throws {
        let test = try topic(backend) {
            $0.cleanupPolicy = .compact
            $0.segmentRecords = 2
        }
        // Offsets 0…2, then 3…4, then 5 in the active segment; compaction removes offset 2 (c),
        // the last record of the first batch, so only its kept offset range still says it
        // ended at sequence 2.
        #expect(try append(test, batch(sequence: 0, keys: ["a", "b", "c"])) == 0)
        #expect(try append(test, batch(sequence: 3, keys: ["x", "c"])) == 3)
        #expect(try append(test, batch(sequence: 5, keys: ["z"])) == 5)
        #expect(try test.broker.runCompaction(topic: "t").values.map(\.removedRecords) == [1])
        try test.reopen(clean: true)
        #expect(try append(test, batch(sequence: 0, keys: ["a", "b", "c"])) == 0)
        #expect(try append(test, batch(sequence: 3, keys: ["x", "c"])) == 3)
        #expect(try append(test, batch(sequence: 6, keys: ["y"])) == 6)
        #expect(try test.broker.values("t") == ["s0", "s1", "s3", "s4", "s5", "s6"])
    }

    @Test("while the broker runs, a producer whose batches retention deleted is still known: its retry is recognised", arguments: Backend.allCases)
    func retentionWhileRunning(backend: Backend) throws {
        let test = try topic(backend) {
            $0.segmentRecords = 1
            $0.retentionRecords = 1
        }
        _ = try append(test, batch(sequence: 0))
        try test.broker.publishEach("t", [(nil, "p1"), (nil, "p2")])
        _ = try test.broker.runRetention(topic: "t")
        #expect(try test.broker.offsets("t", partition: 0).logStartOffset == 2)
        #expect(try append(test, batch(sequence: 0)) == 0)
        #expect(brokerError { _ = try append(test, batch(sequence: 3)) }?.code == .outOfOrderSequenceNumber)
        #expect(try test.broker.offsets("t", partition: 0).logEndOffset == 3)
    }

    @Test("after a restart a producer with no batch left in the log is new to the partition: any sequence is taken, as Kafka takes it")
    func retentionThenRestart() throws {
        let test = try topic(.disk) {
            $0.segmentRecords = 1
            $0.retentionRecords = 1
        }
        _ = try append(test, batch(sequence: 0))
        try test.broker.publishEach("t", [(nil, "p1"), (nil, "p2")])
        _ = try test.broker.runRetention(topic: "t")
        try test.reopen(clean: true)
        #expect(try append(test, batch(sequence: 3)) == 3)
        #expect(try append(test, batch(sequence: 3)) == 3)
    }
}
