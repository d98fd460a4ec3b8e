import Dispatch
import EventLabCore
import EventLabTestSupport
import Foundation
import Synchronization
import Testing

/// A batch the flush policy syncs is synced after the broker's lock is released, and counts only
/// once the sync succeeded: a slow disk under one partition holds back no other, and a failed
/// sync leaves nothing behind that anyone could see.
@Suite("Syncs outside the broker's lock")
struct SyncOutsideLockTests {
    /// A batch from idempotent producer 7 at epoch 0, its record numbered `sequence`.
    func batch(_ value: String, sequence: Int32 = 0) throws -> RecordBatch {
        var encoded = RecordBatch(records: [Record(offset: 0, timestamp: 1, key: nil, value: bytes(value))]).encoded()
        encoded.replaceSubrange(43..<57, with: withUnsafeBytes(of: Int64(7).bigEndian, Array.init)
            + withUnsafeBytes(of: Int16(0).bigEndian, Array.init) + withUnsafeBytes(of: sequence.bigEndian, Array.init))
        let crc = CRC32C.checksum(encoded[21...])
        encoded.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
        return try RecordBatch(validating: encoded)
    }

    /// Runs `body` on another thread and says whether it finished within 30 seconds: a broker that
    /// held its lock through a sync would keep it waiting, and the test fails instead of hanging.
    func finishes(_ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            body()
            done.signal()
        }
        return done.wait(timeout: .now() + 30) == .success
    }

    @Test("while one partition's sync is held, another partition takes appends and the broker answers reads", arguments: Backend.allCases)
    func heldSyncHoldsBackNothingElse(backend: Backend) throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let test = try TestBroker(backend) { topic, _ in
            if topic == "slow" {
                entered.signal()
                release.wait()
            }
            return false
        }
        let broker = test.broker
        try broker.createTopic("slow", partitions: 1)
        try broker.createTopic("fast", partitions: 1)
        let slow = try batch("slow")
        let slowOffset = Mutex<Int64?>(nil)
        let slowDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let offset = try? broker.append(slow, topic: "slow", partition: 0)
            slowOffset.withLock { $0 = offset }
            slowDone.signal()
        }
        #expect(entered.wait(timeout: .now() + 30) == .success)
        let seen = Mutex<(fast: [RecordPosition], slowEnd: Int64, topics: Int)?>(nil)
        let finished = finishes {
            let fast = try? broker.publish("fast", [ProducerRecord(key: nil, value: "fast")])
            let slowEnd = try? broker.offsets("slow", partition: 0).logEndOffset
            seen.withLock { $0 = (fast ?? [], slowEnd ?? -1, broker.topics().count) }
        }
        release.signal()
        #expect(finished)
        let (fast, slowEnd, topics) = try #require(seen.withLock { $0 })
        #expect(fast == [RecordPosition(partition: 0, offset: 0)])
        // The held batch is not part of the log yet: nobody sees it before it is synced.
        #expect(slowEnd == 0)
        #expect(topics == 2)
        #expect(slowDone.wait(timeout: .now() + 30) == .success)
        #expect(slowOffset.withLock { $0 } == 0)
        #expect(try broker.values("slow") == ["slow"])
    }

    @Test("a failed sync appends nothing: no offset, no record, no waiter woken, no producer state; a retry is appended", arguments: Backend.allCases)
    func failedSyncChangesNothing(backend: Backend) throws {
        let failing = Atomic(false)
        let test = try TestBroker(backend) { _, _ in failing.load(ordering: .acquiring) }
        try test.broker.createTopic("t", partitions: 1)
        _ = try test.broker.publishEach("t", [(nil, "a"), (nil, "b")])
        let size = test.directory.map { $0 + "/brokers/1/topics/t/0/00000000000000000000.log" }
        let sizeBefore = try size.map { try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }
        let woken = Atomic(0)
        try test.broker.whenData("t", partition: 0, beyond: 2) { woken.add(1, ordering: .relaxed) }
        failing.store(true, ordering: .releasing)

        let failed = brokerError { _ = try test.broker.append(try batch("idempotent"), topic: "t", partition: 0) }
        #expect(failed?.code == .kafkaStorageError)
        #expect(failed?.message.contains("Input/output error") == true)
        #expect(brokerError { _ = try test.broker.publish("t", [ProducerRecord(key: nil, value: "published")]) }?.code == .kafkaStorageError)
        #expect(try test.broker.offsets("t", partition: 0).logEndOffset == 2)
        #expect(try test.broker.values("t") == ["a", "b"])
        #expect(woken.load(ordering: .relaxed) == 0)
        if let size {
            #expect(try FileManager.default.attributesOfItem(atPath: size)[.size] as? Int == sizeBefore)
        }

        failing.store(false, ordering: .releasing)
        // Had the failed batch counted for its producer, this retry would be taken for a duplicate.
        #expect(try test.broker.append(try batch("idempotent"), topic: "t", partition: 0) == 2)
        #expect(try test.broker.append(try batch("next", sequence: 1), topic: "t", partition: 0) == 3)
        #expect(woken.load(ordering: .relaxed) == 1)
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == ["a", "b", "idempotent", "next"])
    }

    @Test("appends to one partition while its sync is held wait their turn, and land in order", arguments: Backend.allCases)
    func appendsToHeldPartitionTakeTurns(backend: Backend) throws {
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
        do {
            let broker = test.broker
            try broker.createTopic("t", partitions: 1)
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = try? broker.publish("t", [ProducerRecord(key: nil, value: "first")])
                done.signal()
            }
            #expect(entered.wait(timeout: .now() + 30) == .success)
            DispatchQueue.global().async {
                _ = try? broker.publish("t", [ProducerRecord(key: nil, value: "second")])
                done.signal()
            }
            release.signal()
            #expect(done.wait(timeout: .now() + 30) == .success)
            #expect(done.wait(timeout: .now() + 30) == .success)
            #expect(try broker.values("t").sorted { ($0 ?? "") < ($1 ?? "") } == ["first", "second"])
        }
        try test.reopen(clean: false)
        #expect(try test.broker.values("t").count == 2)
    }

    @Test("deleting a topic waits for its batch being synced, which is answered, then takes it away", arguments: Backend.allCases)
    func deleteWaitsForSync(backend: Backend) throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let test = try TestBroker(backend) { _, _ in
            entered.signal()
            release.wait()
            return false
        }
        let broker = test.broker
        try broker.createTopic("t", partitions: 1)
        let appended = Mutex<Int64?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let offset = try? broker.publish("t", [ProducerRecord(key: nil, value: "v")]).first?.offset
            appended.withLock { $0 = offset }
            done.signal()
        }
        #expect(entered.wait(timeout: .now() + 30) == .success)
        DispatchQueue.global().async {
            _ = try? broker.deleteTopic("t")
            done.signal()
        }
        release.signal()
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(appended.withLock { $0 } == 0)
        #expect(broker.topics().isEmpty)
    }
}
