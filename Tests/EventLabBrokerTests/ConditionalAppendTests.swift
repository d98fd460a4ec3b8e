import Dispatch
import EventLabCore
import EventLabTestSupport
import Foundation
import Synchronization
import Testing

/// A conditional append writes a command's events only if the partition still ends where the
/// command was validated, so of two writers that validated against the same end exactly one
/// appends, and the other learns where the end is now and appends nothing.
@Suite("Conditional append")
struct ConditionalAppendTests {
    @Test("records are appended to the named partition when it still ends where expected", arguments: Backend.allCases)
    func appendsAtExpectedEnd(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("accounts", partitions: 2)
        _ = try broker.publish("accounts", [ProducerRecord(key: nil, value: "opened", partition: 1)])
        let positions = try broker.publish(
            "accounts", partition: 1,
            [ProducerRecord(key: "a", value: "deposited"), ProducerRecord(key: "b", value: "withdrawn"), ProducerRecord(key: "c", value: "closed", partition: 1)],
            ifEndIs: 1)
        #expect(positions == [1, 2, 3].map { RecordPosition(partition: 1, offset: $0) })
        #expect(try broker.values("accounts", partition: 1) == ["opened", "deposited", "withdrawn", "closed"])
        #expect(try broker.values("accounts", partition: 0).isEmpty)
        #expect(try broker.publish("accounts", partition: 1, [], ifEndIs: 4).isEmpty)
    }

    @Test("records keep their key, headers and timestamp, the clock's when unset, as publish does", arguments: Backend.allCases)
    func recordContents(backend: Backend) throws {
        let (broker, clock) = makeBroker(backend)
        try broker.createTopic("accounts", partitions: 1)
        var stamped = TopicConfig()
        stamped.messageTimestampType = .logAppendTime
        try broker.createTopic("stamped", partitions: 1, config: stamped)
        try clock.advance(by: 5000)
        let header = RecordHeader(key: "command", value: bytes("withdraw"))
        let records = [
            ProducerRecord(key: bytes("a-1"), value: bytes("Withdrawn"), headers: [header], timestamp: 42),
            ProducerRecord(key: bytes("a-1"), value: nil, headers: [header]),
        ]
        _ = try broker.publish("accounts", partition: 0, records, ifEndIs: 0)
        #expect(try broker.read("accounts", partition: 0, from: 0) == [
            Record(offset: 0, timestamp: 42, key: bytes("a-1"), value: bytes("Withdrawn"), headers: [header]),
            Record(offset: 1, timestamp: LogicalClock.start + 5000, key: bytes("a-1"), value: nil, headers: [header]),
        ])
        _ = try broker.publish("stamped", partition: 0, records, ifEndIs: 0)
        #expect(try broker.read("stamped", partition: 0, from: 0).map(\.timestamp) == [LogicalClock.start + 5000, LogicalClock.start + 5000])
    }

    @Test("when the partition's end moved, nothing is appended and the error says where it ends and what to do", arguments: Backend.allCases)
    func refusesWhenEndMoved(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("accounts", partitions: 1)
        try broker.publishEach("accounts", [(nil, "opened"), (nil, "deposited")])
        let woken = Atomic(0)
        try broker.whenData("accounts", partition: 0, beyond: 2) { woken.add(1, ordering: .relaxed) }

        let stale = brokerError { _ = try broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "withdrawn")], ifEndIs: 1) }
        #expect(stale?.code == .invalidUpdateVersion)
        #expect(stale?.message == "partition 0 of 'accounts' ends at offset 2, not 1 as expected: records were appended since, "
            + "so nothing was appended; catch up to offset 2, validate again and append expecting 2")
        #expect(stale?.description.hasSuffix("[INVALID_UPDATE_VERSION]") == true)
        let ahead = brokerError { _ = try broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "withdrawn")], ifEndIs: 5) }
        #expect(ahead?.code == .invalidUpdateVersion)
        #expect(ahead?.message.contains("ends at offset 2, not 5 as expected: it is shorter") == true)
        #expect(brokerError { _ = try broker.publish("accounts", partition: 0, [], ifEndIs: 1) }?.code == .invalidUpdateVersion)

        #expect(try broker.offsets("accounts", partition: 0).logEndOffset == 2)
        #expect(try broker.values("accounts") == ["opened", "deposited"])
        #expect(woken.load(ordering: .relaxed) == 0)
        _ = try broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "withdrawn")], ifEndIs: 2)
        #expect(woken.load(ordering: .relaxed) == 1)
    }

    @Test("a batch the topic refuses, or a record naming another partition, is refused at any end", arguments: Backend.allCases)
    func refusedBatchBeforeEnd(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        var config = TopicConfig()
        config.maxMessageBytes = 200
        try broker.createTopic("t", partitions: 2, config: config)
        let large = [ProducerRecord(key: nil, value: String(repeating: "x", count: 300))]
        // At a stale end too: a writer that caught up and tried again would only be refused again.
        #expect(brokerError { _ = try broker.publish("t", partition: 0, large, ifEndIs: 3) }?.code == .messageTooLarge)
        let stray = brokerError { _ = try broker.publish("t", partition: 0, [ProducerRecord(key: nil, value: "a"), ProducerRecord(key: nil, value: "b", partition: 1)], ifEndIs: 0) }
        #expect(stray?.code == .invalidRequest)
        #expect(stray?.message == "record 1 names partition 1, but this append goes to partition 0 only; leave its partition unset or set it to 0")
        #expect(brokerError { _ = try broker.publish("t", partition: 2, [ProducerRecord(key: nil, value: "a")], ifEndIs: 0) }?.code == .unknownTopicOrPartition)
        #expect(try broker.values("t", partition: 0).isEmpty)
        #expect(try broker.values("t", partition: 1).isEmpty)
    }

    @Test("of two writers racing at the same expected end, exactly one appends and the other is refused", arguments: Backend.allCases)
    func racingWriters(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("accounts", partitions: 1)
        for round in 0..<20 {
            let end = Int64(round)
            let outcomes = Mutex<[Result<[RecordPosition], BrokerError>]>([])
            let ready = DispatchSemaphore(value: 0)
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for writer in ["a", "b"] {
                DispatchQueue.global().async(group: done) {
                    ready.signal()
                    start.wait()
                    let outcome = Result { () throws(BrokerError) in
                        try broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "\(writer)\(round)")], ifEndIs: end)
                    }
                    outcomes.withLock { $0.append(outcome) }
                }
            }
            ready.wait()
            ready.wait()
            start.signal()
            start.signal()
            #expect(done.wait(timeout: .now() + 30) == .success)
            let results = outcomes.withLock { $0 }
            let won = results.compactMap { try? $0.get() }
            let refused = results.compactMap { result -> BrokerError? in
                if case .failure(let error) = result { error } else { nil }
            }
            #expect(won == [[RecordPosition(partition: 0, offset: end)]])
            #expect(refused.map(\.code) == [.invalidUpdateVersion])
            #expect(try broker.offsets("accounts", partition: 0).logEndOffset == end + 1)
        }
    }

    @Test("a writer arriving while the winner's batch is being synced waits for it, then is refused", arguments: Backend.allCases)
    func waitsForSyncThenRefused(backend: Backend) throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holdFirst = Atomic(true)
        let test = try TestBroker(backend) { _, _ in
            if holdFirst.exchange(false, ordering: .acquiringAndReleasing) {
                entered.signal()
                release.wait()
            }
            return false
        }
        let broker = test.broker
        try broker.createTopic("accounts", partitions: 1)
        let first = Mutex<[RecordPosition]?>(nil)
        let second = Mutex<BrokerError?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let positions = try? broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "first")], ifEndIs: 0)
            first.withLock { $0 = positions }
            done.signal()
        }
        #expect(entered.wait(timeout: .now() + 30) == .success)
        DispatchQueue.global().async {
            let error = brokerError { _ = try broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "second")], ifEndIs: 0) }
            second.withLock { $0 = error }
            done.signal()
        }
        release.signal()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(first.withLock { $0 } == [RecordPosition(partition: 0, offset: 0)])
        #expect(second.withLock { $0 }?.code == .invalidUpdateVersion)
        #expect(try broker.values("accounts") == ["first"])
    }

    @Test("a failed sync appends nothing and wakes nobody; the same expected end then succeeds and survives a restart", arguments: Backend.allCases)
    func failedSyncAndRestart(backend: Backend) throws {
        let failing = Atomic(false)
        let test = try TestBroker(backend) { _, _ in failing.load(ordering: .acquiring) }
        try test.broker.createTopic("accounts", partitions: 1)
        try test.broker.publishEach("accounts", [(nil, "opened")])
        let woken = Atomic(0)
        try test.broker.whenData("accounts", partition: 0, beyond: 1) { woken.add(1, ordering: .relaxed) }
        failing.store(true, ordering: .releasing)

        let failed = brokerError { _ = try test.broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "deposited")], ifEndIs: 1) }
        #expect(failed?.code == .kafkaStorageError)
        #expect(try test.broker.offsets("accounts", partition: 0).logEndOffset == 1)
        #expect(try test.broker.values("accounts") == ["opened"])
        #expect(woken.load(ordering: .relaxed) == 0)

        failing.store(false, ordering: .releasing)
        let records = [ProducerRecord(key: nil, value: "deposited"), ProducerRecord(key: nil, value: "withdrawn")]
        #expect(try test.broker.publish("accounts", partition: 0, records, ifEndIs: 1).map(\.offset) == [1, 2])
        #expect(woken.load(ordering: .relaxed) == 1)
        try test.reopen(clean: false)
        #expect(try test.broker.values("accounts") == ["opened", "deposited", "withdrawn"])
        #expect(try test.broker.offsets("accounts", partition: 0).logEndOffset == 3)
    }

    @Test("an idempotent producer's sequence goes on across a conditional append, which is not counted for it", arguments: Backend.allCases)
    func idempotentProducerUntouched(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("accounts", partitions: 1)
        #expect(try broker.append(try idempotentBatch(sequence: 0), topic: "accounts", partition: 0) == 0)
        _ = try broker.publish("accounts", partition: 0, [ProducerRecord(key: nil, value: "command")], ifEndIs: 1)
        // A retry of the producer's last batch is still known as a duplicate, and its next follows on.
        #expect(try broker.append(try idempotentBatch(sequence: 0), topic: "accounts", partition: 0) == 0)
        #expect(try broker.append(try idempotentBatch(sequence: 1), topic: "accounts", partition: 0) == 2)
        #expect(try broker.values("accounts") == ["s0", "command", "s1"])
    }
}
