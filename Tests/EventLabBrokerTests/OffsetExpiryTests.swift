import Testing
@testable import EventLabCore
import EventLabTestSupport

/// Kafka's offsets retention (KIP-211): a group without members loses its committed offsets
/// `offsets.retention.minutes` after its last member left, or, if it never had members, each
/// offset that long after its commit; the check runs on the broker clock.
@Suite("Committed offsets expire by offsets.retention.minutes")
struct OffsetExpiryTests {
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000
    static let p0 = TopicPartition("orders", 0)
    static let p1 = TopicPartition("orders", 1)

    /// A broker with `orders` (2 partitions, 5 records each) whose offsets check runs every minute.
    func ordersBroker(_ backend: Backend) throws -> TestBroker {
        var config = BrokerConfig()
        try config.set("offsets.retention.check.interval.ms=60000")
        let test = try TestBroker(backend, config: config)
        try test.broker.createTopic("orders", partitions: 2)
        for partition in [Int32(0), 1] {
            try test.broker.publish("orders", (0..<5).map { ProducerRecord(key: nil, value: "v\($0)", partition: partition) })
        }
        return test
    }

    /// Joins a member to `billing`, commits p0 @3 and p1 @2 as it, and returns its id and
    /// generation (not the member, which would keep the broker open past a reopen).
    func commitAsMember(_ broker: Broker) throws -> (memberId: String, generation: Int32) {
        let member = try GroupMember.joined(broker, group: "billing", topics: ["orders"])
        let result = broker.commitOffsets(
            groupId: "billing", memberId: member.memberId, generationId: member.generation,
            offsets: [Self.p0: CommittedOffset(offset: 3), Self.p1: CommittedOffset(offset: 2)])
        #expect(result.values.allSatisfy { $0 == .none })
        return (member.memberId, member.generation)
    }

    @Test("a group keeps its offsets while it has members, and loses them offsets.retention.minutes after its last member left, not before", arguments: Backend.allCases)
    func expireAfterEmptiness(backend: Backend) throws {
        let test = try ordersBroker(backend)
        let member = try commitAsMember(test.broker)
        try test.broker.scheduler.advanceClock(by: 8 * Self.day)
        #expect(test.broker.notices.take().offsetsExpiries.isEmpty)
        #expect(test.broker.committedOffsets(groupId: "billing").count == 2)
        let left = test.clock.now()
        test.broker.leaveGroup(groupId: "billing", memberId: member.memberId)
        try test.broker.scheduler.advanceClock(by: 7 * Self.day - Self.minute)
        #expect(test.broker.notices.take().offsetsExpiries.isEmpty)
        #expect(test.broker.committedOffsets(groupId: "billing").mapValues(\.offset) == [Self.p0: 3, Self.p1: 2])
        try test.broker.scheduler.advanceClock(by: Self.minute)
        #expect(test.broker.notices.take().offsetsExpiries == [
            OffsetsExpiry(at: left + 7 * Self.day, group: "billing", partitions: [Self.p0, Self.p1], presence: .emptySince(left), retentionMinutes: 10_080)
        ])
        #expect(test.broker.committedOffsets(groupId: "billing").isEmpty)
        #expect(test.broker.groups().isEmpty)
        let starts = try test.broker.consumerStarts(groupId: "billing", topic: "orders", partitions: [0, 1], reset: .latest)
        #expect(starts.map(\.offset) == [5, 5])
        try test.reopen(clean: true)
        #expect(test.broker.committedOffsets(groupId: "billing").isEmpty)
    }

    @Test("offsets of a group that never had members expire each offsets.retention.minutes after its own commit", arguments: Backend.allCases)
    func standaloneExpireByCommitTime(backend: Backend) throws {
        let test = try ordersBroker(backend)
        let broker = test.broker
        let start = test.clock.now()
        _ = broker.commitOffsets(groupId: "audit", offsets: [Self.p0: CommittedOffset(offset: 1)])
        try broker.scheduler.advanceClock(by: 2 * Self.day)
        _ = broker.commitOffsets(groupId: "audit", offsets: [Self.p1: CommittedOffset(offset: 4)])
        try broker.scheduler.advanceClock(by: 5 * Self.day)
        #expect(broker.notices.take().offsetsExpiries.map(\.partitions) == [[Self.p0]])
        #expect(broker.committedOffsets(groupId: "audit") == [Self.p1: CommittedOffset(offset: 4, commitTimestamp: start + 2 * Self.day)])
        try broker.scheduler.advanceClock(by: 2 * Self.day)
        let expiry = broker.notices.take().offsetsExpiries
        #expect(expiry.map(\.at) == [start + 9 * Self.day] && expiry.map(\.presence) == [.neverHadMembers])
        #expect(broker.committedOffsets(groupId: "audit").isEmpty)
    }

    @Test("offsets.retention.minutes is a broker config: a shorter one expires sooner", arguments: Backend.allCases)
    func configuredRetention(backend: Backend) throws {
        var config = BrokerConfig()
        try config.set("offsets.retention.minutes=60")
        let test = try TestBroker(backend, config: config)
        try test.broker.createTopic("orders", partitions: 1)
        _ = test.broker.commitOffsets(groupId: "audit", offsets: [Self.p0: CommittedOffset(offset: 0)])
        #expect(test.broker.scheduler.pending(.broker).first { $0.label == Broker.offsetsRetentionLabel }?.period == 600_000)
        try test.broker.scheduler.advanceClock(by: 50 * Self.minute)
        #expect(test.broker.committedOffsets(groupId: "audit").count == 1)
        try test.broker.scheduler.advanceClock(by: 10 * Self.minute)
        #expect(test.broker.committedOffsets(groupId: "audit").isEmpty)
        #expect(test.broker.notices.take().offsetsExpiries.map(\.retentionMinutes) == [60])
    }

    @Test("after a restart, a group still counts from when it became empty, and a standalone offset from its commit", arguments: Backend.allCases)
    func survivesRestart(backend: Backend) throws {
        let test = try ordersBroker(backend)
        let member = try commitAsMember(test.broker)
        _ = test.broker.commitOffsets(groupId: "audit", offsets: [Self.p0: CommittedOffset(offset: 1)])
        try test.broker.scheduler.advanceClock(by: Self.day)
        let left = test.clock.now()
        test.broker.leaveGroup(groupId: "billing", memberId: member.memberId)
        try test.broker.scheduler.advanceClock(by: 3 * Self.day)
        try test.reopen(clean: false)
        try test.broker.scheduler.advanceClock(by: 3 * Self.day - Self.minute)
        #expect(test.broker.committedOffsets(groupId: "audit").count == 1)
        try test.broker.scheduler.advanceClock(by: Self.minute)
        #expect(test.broker.notices.take().offsetsExpiries.map(\.group) == ["audit"])
        try test.broker.scheduler.advanceClock(by: Self.day - Self.minute)
        #expect(test.broker.committedOffsets(groupId: "billing").count == 2)
        try test.broker.scheduler.advanceClock(by: Self.minute)
        let expiries = test.broker.notices.take().offsetsExpiries
        #expect(expiries.map(\.group) == ["billing"] && expiries.map(\.presence) == [.emptySince(left)])
        #expect(test.broker.groups().isEmpty)
    }

    @Test("a group that had members when the broker stopped counts from the restart, when they were lost")
    func membersLostAtRestart() throws {
        let test = try ordersBroker(.disk)
        _ = try commitAsMember(test.broker)
        try test.broker.scheduler.advanceClock(by: 5 * Self.day)
        try test.reopen(clean: false)
        let opened = test.clock.now()
        try test.broker.scheduler.advanceClock(by: 7 * Self.day - Self.minute)
        #expect(test.broker.committedOffsets(groupId: "billing").count == 2)
        try test.broker.scheduler.advanceClock(by: Self.minute)
        #expect(test.broker.notices.take().offsetsExpiries.map(\.presence) == [.emptySince(opened)])
    }
}
