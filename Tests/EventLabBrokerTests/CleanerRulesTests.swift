import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("The cleaner's rules: min.cleanable.dirty.ratio, min.compaction.lag.ms, max.compaction.lag.ms")
struct CleanerRulesTests {
    func topic(_ backend: Backend, _ configure: (inout TopicConfig) -> Void) throws -> TestBroker {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentRecords = 2
        configure(&config)
        try test.broker.createTopic("t", partitions: 1, config: config)
        return test
    }

    let p0 = TopicPartition("t", 0)

    @Test("a pass skips a partition whose dirty ratio is not above min.cleanable.dirty.ratio; --force cleans it", arguments: Backend.allCases)
    func ratio(backend: Backend) throws {
        let test = try topic(backend) { _ in }
        try test.broker.publishEach("t", [("a", "1"), ("a", "2"), ("c", "1"), ("d", "1"), ("e", "1")])
        // All dirty: ratio 1 cleans, and the checkpoint moves to the active segment.
        let first = try test.broker.runCompaction(topic: "t")[p0]
        #expect(first?.decision?.skip == nil)
        #expect(first?.decision?.dirtyRatio == 1)
        #expect(first?.removedRecords == 1)
        #expect(try test.broker.describeTopic("t").partitions[0].cleanerCheckpoint == 4)
        // The checkpoint outlives a restart.
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("t").partitions[0].cleanerCheckpoint == 4)
        // One dirty segment after three clean batches: 2 of 5 batches' bytes, below 0.5.
        try test.broker.publishEach("t", [("a", "3"), ("c", "2")])
        let second = try test.broker.runCompaction(topic: "t")[p0]
        #expect(second?.decision?.skip == .ratio)
        #expect((second?.decision?.dirtyRatio ?? 1) < 0.5)
        #expect(second?.removedRecords == 0)
        #expect(try test.broker.values("t") == ["2", "1", "1", "1", "3", "2"])
        let forced = try test.broker.runCompaction(topic: "t", force: true)[p0]
        #expect(forced?.decision?.skip == nil)
        #expect(forced?.removedRecords == 1)
        #expect(try test.broker.values("t") == ["1", "1", "1", "3", "2"])
    }

    @Test("min.compaction.lag.ms leaves the segments from the first one with a record younger than the lag uncleaned", arguments: Backend.allCases)
    func minLag(backend: Backend) throws {
        let test = try topic(backend) {
            $0.minCompactionLagMs = 60_000
            $0.minCleanableDirtyRatio = 0.1
        }
        try test.broker.publishEach("t", [("a", "1"), ("b", "1")])
        try test.clock.advance(by: 60_000)
        try test.broker.publishEach("t", [("a", "2"), ("b", "2"), ("z", "active")])
        // Segment [0, 2) is 60 s old; segment [2, 4) is new, so it and all after stay dirty.
        let result = try test.broker.runCompaction(topic: "t")[p0]
        #expect(result?.decision?.firstUncleanableOffset == 2)
        #expect(result?.removedRecords == 0)
        #expect(try test.broker.values("t") == ["1", "1", "2", "2", "active"])
        #expect(try test.broker.describeTopic("t").partitions[0].cleanerCheckpoint == 2)
        try test.clock.advance(by: 60_000)
        let later = try test.broker.runCompaction(topic: "t")[p0]
        #expect(later?.removedRecords == 2)
        #expect(try test.broker.values("t") == ["2", "2", "active"])
    }

    @Test("min.compaction.lag.ms: a pass whose dirty segments are all too young says when the first may be cleaned", arguments: Backend.allCases)
    func minLagSkips(backend: Backend) throws {
        let test = try topic(backend) { $0.minCompactionLagMs = 60_000 }
        try test.broker.publishEach("t", [("a", "1"), ("a", "2"), ("z", "active")])
        let result = try test.broker.runCompaction(topic: "t", force: true)[p0]
        #expect(result?.decision?.skip == .minLag(at: test.clock.now() + 60_000))
        #expect(try test.broker.values("t") == ["1", "2", "active"])
    }

    @Test("max.compaction.lag.ms cleans a partition whose oldest dirty record is older than the lag, below the ratio", arguments: Backend.allCases)
    func maxLag(backend: Backend) throws {
        let test = try topic(backend) { $0.maxCompactionLagMs = 60_000 }
        try test.broker.publishEach("t", [("a", "1"), ("a", "2"), ("c", "1"), ("d", "1"), ("e", "1")])
        _ = try test.broker.runCompaction(topic: "t")
        try test.broker.publishEach("t", [("a", "3"), ("c", "2")])
        #expect(try test.broker.runCompaction(topic: "t")[p0]?.decision?.skip == .ratio)
        try test.clock.advance(by: 60_001)
        let result = try test.broker.runCompaction(topic: "t")[p0]
        #expect(result?.decision?.pastMaxLag == true)
        #expect(result?.decision?.skip == nil)
        #expect(result?.removedRecords == 1)
        #expect(try test.broker.values("t") == ["1", "1", "1", "3", "2"])
    }

    @Test("the three configs read and write in Kafka's spelling, and refuse values out of range")
    func configs() throws {
        var config = TopicConfig()
        #expect(try config.value(of: "min.cleanable.dirty.ratio") == "0.5")
        #expect(try config.value(of: "min.compaction.lag.ms") == "0")
        #expect(try config.value(of: "max.compaction.lag.ms") == String(Int64.max))
        try config.set("min.cleanable.dirty.ratio", to: "0.01")
        #expect(config.minCleanableDirtyRatio == 0.01)
        #expect(throws: BrokerError.self) { try config.set("min.cleanable.dirty.ratio", to: "1.5") }
        #expect(throws: BrokerError.self) { try config.set("max.compaction.lag.ms", to: "0") }
        #expect(throws: BrokerError.self) { try config.set("min.compaction.lag.ms", to: "-1") }
    }

    @Test("the scheduled log cleaner pass follows the same rules: it cleans a dirty partition and skips one below the ratio", arguments: Backend.allCases)
    func scheduled(backend: Backend) throws {
        let (broker, clock) = makeBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentRecords = 2
        try broker.createTopic("t", partitions: 1, config: config)
        try broker.publishEach("t", [("a", "1"), ("a", "2"), ("c", "1"), ("d", "1"), ("e", "1")])
        try broker.scheduler.advanceClock(by: broker.config.logCleanerBackoffMs)
        #expect(try broker.values("t") == ["2", "1", "1", "1"])
        try broker.publishEach("t", [("a", "3"), ("c", "2")])
        try broker.scheduler.advanceClock(by: broker.config.logCleanerBackoffMs)
        #expect(try broker.values("t") == ["2", "1", "1", "1", "3", "2"])
    }
}
