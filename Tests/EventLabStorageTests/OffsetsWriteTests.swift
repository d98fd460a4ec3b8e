import Dispatch
import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Synchronization
import Testing

/// The offsets file is written after the broker's lock is released: a slow write holds back
/// no append and no other group, a commit takes effect only once written, a failed write
/// changes nothing, and one group's commits are written in the order they were made.
@Suite("Writing committed offsets outside the broker's lock", .serialized)
struct OffsetsWriteTests {
    let p0 = TopicPartition("t", 0)

    func commit(_ broker: Broker, _ group: String, _ offset: Int64) -> KafkaErrorCode? {
        broker.commitOffsets(groupId: group, offsets: [p0: CommittedOffset(offset: offset, metadata: nil)])[p0]
    }

    @Test("while a group's offsets file write is held, appends and other groups' offsets are answered")
    func heldWriteHoldsBackNothingElse() throws {
        let test = try TestBroker(.disk)
        let directory = test.directory!
        defer { FileFaults.clear(directory) }
        try test.broker.createTopic("t", partitions: 1)
        #expect(commit(test.broker, "other", 1) == KafkaErrorCode.none)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        FileFaults.onSync(under: directory) { path in
            if path.hasSuffix("/group-offsets.tmp") {
                entered.signal()
                release.wait()
            }
            return false
        }
        do {
            let broker = test.broker
            let committed = Mutex<KafkaErrorCode?>(nil)
            let commitDone = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                let code = self.commit(broker, "held", 5)
                committed.withLock { $0 = code }
                commitDone.signal()
            }
            #expect(entered.wait(timeout: .now() + 30) == .success)
            let seen = Mutex<(appended: Int, held: Int64?, other: Int64?)?>(nil)
            let otherDone = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                let appended = (try? broker.publish("t", [ProducerRecord(key: nil, value: "v")]))?.count ?? 0
                seen.withLock {
                    $0 = (appended, broker.committedOffsets(groupId: "held")[self.p0]?.offset, broker.committedOffsets(groupId: "other")[self.p0]?.offset)
                }
                otherDone.signal()
            }
            let finished = otherDone.wait(timeout: .now() + 30) == .success
            release.signal()
            #expect(finished)
            let (appended, held, other) = try #require(seen.withLock { $0 })
            #expect(appended == 1)
            // Not written yet, so not committed yet.
            #expect(held == nil)
            #expect(other == 1)
            #expect(commitDone.wait(timeout: .now() + 30) == .success)
            #expect(committed.withLock { $0 } == KafkaErrorCode.none)
            #expect(test.broker.committedOffsets(groupId: "held")[p0]?.offset == 5)
        }
        FileFaults.clear(directory)
        try test.reopen(clean: false)
        #expect(test.broker.committedOffsets(groupId: "held")[p0]?.offset == 5)
        #expect(test.broker.committedOffsets(groupId: "other")[p0]?.offset == 1)
    }

    @Test("a failed offsets file write commits nothing, in memory or on disk")
    func failedWriteCommitsNothing() throws {
        let test = try TestBroker(.disk)
        let directory = test.directory!
        defer { FileFaults.clear(directory) }
        try test.broker.createTopic("t", partitions: 1)
        #expect(commit(test.broker, "g", 1) == KafkaErrorCode.none)
        FileFaults.onSync(under: directory) { $0.hasSuffix("/group-offsets.tmp") }
        #expect(commit(test.broker, "g", 2) == .kafkaStorageError)
        #expect(test.broker.committedOffsets(groupId: "g")[p0]?.offset == 1)
        FileFaults.clear(directory)
        try test.reopen(clean: false)
        #expect(test.broker.committedOffsets(groupId: "g")[p0]?.offset == 1)
    }

    @Test("a group's later commit is never overwritten by an earlier one's write")
    func commitsAreWrittenInOrder() throws {
        let test = try TestBroker(.disk)
        let directory = test.directory!
        defer { FileFaults.clear(directory) }
        try test.broker.createTopic("t", partitions: 1)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holdFirst = Atomic(true)
        FileFaults.onSync(under: directory) { path in
            if path.hasSuffix("/group-offsets.tmp"), holdFirst.exchange(false, ordering: .acquiringAndReleasing) {
                entered.signal()
                release.wait()
            }
            return false
        }
        do {
            let broker = test.broker
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = self.commit(broker, "g", 1)
                done.signal()
            }
            #expect(entered.wait(timeout: .now() + 30) == .success)
            DispatchQueue.global().async {
                _ = self.commit(broker, "g", 2)
                done.signal()
            }
            release.signal()
            #expect(done.wait(timeout: .now() + 30) == .success)
            #expect(done.wait(timeout: .now() + 30) == .success)
            #expect(test.broker.committedOffsets(groupId: "g")[p0]?.offset == 2)
        }
        FileFaults.clear(directory)
        try test.reopen(clean: false)
        #expect(test.broker.committedOffsets(groupId: "g")[p0]?.offset == 2)
    }
}
