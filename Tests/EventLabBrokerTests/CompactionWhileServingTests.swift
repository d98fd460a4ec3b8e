import Dispatch
import EventLabCore
import EventLabTestSupport
import Foundation
import Synchronization
import Testing

/// Compaction reads and rewrites outside the broker's lock and swaps under it: the broker serves
/// meanwhile, and a compaction whose partition changed under it swaps nothing stale in.
@Suite("Compaction while the broker serves")
struct CompactionWhileServingTests {
    /// A compacted topic `t` of closed segments of two records each, keys repeating, and the
    /// values compaction leaves.
    func compactedTopic(_ backend: Backend, configure: (inout TopicConfig) -> Void = { _ in }) throws -> TestBroker {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentRecords = 2
        configure(&config)
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", [("a", "a1"), ("b", "b1"), ("a", "a2"), ("c", "c1"), ("a", "a3"), ("b", "b2"), ("z", "active")])
        return test
    }

    /// Runs `hook` the first time a compaction is about to swap, and not in the compactions it starts.
    func onFirstSwap(_ test: TestBroker, _ hook: @escaping @Sendable () throws -> Void) {
        let fired = Shared(false)
        test.broker.whenCompactionWillSwap { _ in
            guard !fired.exchange(true) else { return }
            #expect(throws: Never.self) { try hook() }
        }
    }

    /// What the workspace's compaction scratch directory holds (disk only): nothing once a compaction has ended.
    func leftovers(_ test: TestBroker) -> [String] {
        guard let directory = test.directory else { return [] }
        return (try? FileManager.default.contentsOfDirectory(atPath: directory + "/brokers/1/staging/compacting")) ?? []
    }

    @Test("while a compaction holds between writing and swapping, appends and reads on any topic complete", arguments: Backend.allCases)
    func servesWhileCompacting(backend: Backend) throws {
        let test = try compactedTopic(backend)
        try test.broker.createTopic("other", partitions: 1)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        test.broker.whenCompactionWillSwap { _ in
            holding.signal()
            release.wait()
        }
        let compacted = DispatchSemaphore(value: 0)
        let result = Shared<[TopicPartition: CompactionResult]?>(nil)
        Thread.detachNewThread {
            let outcome = try? test.broker.runCompaction(topic: "t")
            _ = result.exchange(outcome)
            compacted.signal()
        }
        holding.wait()
        let served = DispatchSemaphore(value: 0)
        let seen = Shared<[String?]>([])
        DispatchQueue.global().async {
            let values = try? {
                try test.broker.publishEach("other", [(nil, "o1")])
                try test.broker.publishEach("t", [("b", "during")])
                return try test.broker.values("other") + test.broker.values("t")
            }()
            _ = seen.exchange(values ?? [])
            served.signal()
        }
        // Not a timing: the bound only turns a broker that blocks here into a failure instead of a hang.
        let wasServed = served.wait(timeout: .now() + 60) == .success
        #expect(wasServed, "an append and a read waited for the compaction to finish")
        release.signal()
        compacted.wait()
        if !wasServed { served.wait() }
        test.broker.whenCompactionWillSwap(nil)
        #expect(seen.value == ["o1", "a1", "b1", "a2", "c1", "a3", "b2", "active", "during"])
        #expect(result.value?[TopicPartition("t", 0)]?.removedRecords == 3)
        #expect(try test.broker.values("t") == ["c1", "a3", "b2", "active", "during"])
        #expect(leftovers(test).isEmpty)
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == ["c1", "a3", "b2", "active", "during"])
    }

    @Test("a topic deleted while it is compacted stays deleted; the compaction says so and leaves nothing behind", arguments: Backend.allCases)
    func topicDeletedMeanwhile(backend: Backend) throws {
        let test = try compactedTopic(backend)
        onFirstSwap(test) {
            try test.broker.deleteTopic("t")
            try test.broker.createTopic("t", partitions: 1)
            try test.broker.publishEach("t", [(nil, "new")])
        }
        let error = brokerError { _ = try test.broker.runCompaction(topic: "t") }
        #expect(error?.code == .unknownTopicOrPartition)
        #expect(error?.message.contains("deleted while compaction was cleaning it") == true)
        #expect(try test.broker.values("t") == ["new"])
        #expect(leftovers(test).isEmpty)
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == ["new"])
    }

    @Test("a topic altered while it is compacted is compacted by its new config, not the old", arguments: Backend.allCases)
    func topicAlteredMeanwhile(backend: Backend) throws {
        let test = try compactedTopic(backend)
        onFirstSwap(test) {
            var config = try test.broker.describeTopic("t").config
            config.cleanupPolicy = .delete
            try test.broker.alterTopic("t", config: config)
        }
        #expect(try test.broker.runCompaction(topic: "t").isEmpty)
        #expect(try test.broker.values("t") == ["a1", "b1", "a2", "c1", "a3", "b2", "active"])
        #expect(leftovers(test).isEmpty)
    }

    @Test("segments retention deletes while a compaction runs do not come back with its cleaned ones", arguments: Backend.allCases)
    func retentionMeanwhile(backend: Backend) throws {
        let test = try compactedTopic(backend) {
            $0.cleanupPolicy = [.compact, .delete]
            $0.retentionRecords = 5
        }
        onFirstSwap(test) {
            let deleted = try test.broker.runRetention(topic: "t")
            #expect(deleted[TopicPartition("t", 0)]?.deletedSegments.count == 1)
        }
        let result = try test.broker.runCompaction(topic: "t")
        #expect(result[TopicPartition("t", 0)]?.removedRecords == 1)
        #expect(try test.broker.offsets("t", partition: 0).logStartOffset == 2)
        #expect(try test.broker.values("t") == ["c1", "a3", "b2", "active"])
        #expect(leftovers(test).isEmpty)
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == ["c1", "a3", "b2", "active"])
    }

    @Test("two compactions of one partition at once: the later swap finds the log changed and adds nothing stale", arguments: Backend.allCases)
    func compactedTwiceAtOnce(backend: Backend) throws {
        let test = try compactedTopic(backend)
        onFirstSwap(test) {
            let result = try test.broker.runCompaction(topic: "t")
            #expect(result[TopicPartition("t", 0)]?.removedRecords == 3)
            try test.broker.publishEach("t", [("c", "c2")])
        }
        #expect(try test.broker.runCompaction(topic: "t").values.allSatisfy { !$0.changed })
        #expect(try test.broker.values("t") == ["c1", "a3", "b2", "active", "c2"])
        #expect(leftovers(test).isEmpty)
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == ["c1", "a3", "b2", "active", "c2"])
    }
}

/// A value threads share: what a thread found, for the test to check after it.
private final class Shared<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: Value) { state = Mutex(value) }

    var value: Value { state.withLock { $0 } }

    /// Sets `value`, returning the one before.
    func exchange(_ value: Value) -> Value {
        state.withLock { state in
            defer { state = value }
            return state
        }
    }
}
