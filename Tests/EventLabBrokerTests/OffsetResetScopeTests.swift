@testable import EventLabCore
import EventLabTestSupport
import Testing

@Suite("group reset scopes, as kafka-consumer-groups --reset-offsets")
struct OffsetResetScopeTests {
    /// Topic `orders` with 3 partitions holding 2, 1 and 0 records, and `payments` with 1.
    func broker(_ test: TestBroker) throws {
        try test.broker.createTopic("orders", partitions: 3)
        try test.broker.createTopic("payments", partitions: 1)
        _ = try test.broker.publish("orders", [
            ProducerRecord(key: nil, value: "a", partition: 0), ProducerRecord(key: nil, value: "b", partition: 0),
            ProducerRecord(key: nil, value: "c", partition: 1),
        ])
        _ = try test.broker.publish("payments", [ProducerRecord(key: nil, value: "p")])
    }

    @Test("--topic T positions a group that does not exist on all of T's partitions, and the offsets outlive a restart", arguments: Backend.allCases)
    func newGroup(backend: Backend) throws {
        let test = try TestBroker(backend)
        try broker(test)
        let plan = try test.broker.resetOffsets(groupId: "audit", scope: .topics([TopicSelection("orders")]), to: .latest, execute: false)
        #expect(plan.map(\.topicPartition) == [TopicPartition("orders", 0), TopicPartition("orders", 1), TopicPartition("orders", 2)])
        #expect(plan.map(\.previousOffset) == [nil, nil, nil])
        #expect(plan.map(\.newOffset) == [2, 1, 0])
        #expect(test.broker.groups().isEmpty)
        _ = try test.broker.resetOffsets(groupId: "audit", scope: .topics([TopicSelection("orders")]), to: .latest, execute: true)
        try test.reopen(clean: true)
        #expect(test.broker.committedOffsets(groupId: "audit").mapValues(\.offset) == [
            TopicPartition("orders", 0): 2, TopicPartition("orders", 1): 1, TopicPartition("orders", 2): 0,
        ])
        #expect(try test.broker.describeGroup("audit").state == .empty)
    }

    @Test("--topic T:0,2 picks partitions; --all-topics means the partitions with committed offsets", arguments: Backend.allCases)
    func scopes(backend: Backend) throws {
        let test = try TestBroker(backend)
        try broker(test)
        let broker = test.broker
        _ = broker.commitOffsets(groupId: "g", offsets: [TopicPartition("orders", 1): CommittedOffset(offset: 1), TopicPartition("payments", 0): CommittedOffset(offset: 1)])
        let picked = try broker.resetOffsets(groupId: "g", scope: .topics([TopicSelection("orders", partitions: [0, 2])]), to: .earliest, execute: true)
        #expect(picked.map(\.topicPartition) == [TopicPartition("orders", 0), TopicPartition("orders", 2)])
        let all = try broker.resetOffsets(groupId: "g", scope: .allTopics, to: .earliest, execute: false)
        #expect(all.map(\.topicPartition) == [TopicPartition("orders", 0), TopicPartition("orders", 1), TopicPartition("orders", 2), TopicPartition("payments", 0)])
        let none = brokerError { _ = try broker.resetOffsets(groupId: "ghost", scope: .allTopics, to: .earliest, execute: true) }
        #expect(none?.code == .groupIdNotFound)
        let unknown = brokerError { _ = try broker.resetOffsets(groupId: "g", scope: .topics([TopicSelection("orders", partitions: [3])]), to: .earliest, execute: true) }
        #expect(unknown?.code == .unknownTopicOrPartition)
        #expect(brokerError { _ = try broker.resetOffsets(groupId: "g", scope: .topics([TopicSelection("nope")]), to: .earliest, execute: true) }?.code == .unknownTopicOrPartition)
    }

    @Test("offsets outside the log are clamped to its start or end, and the plan keeps what was asked", arguments: Backend.allCases)
    func clamped(backend: Backend) throws {
        let test = try TestBroker(backend)
        try broker(test)
        let plan = try test.broker.resetOffsets(groupId: "g", scope: .topics([TopicSelection("orders", partitions: [0])]), to: .offset(99), execute: true)
        #expect(plan == [OffsetReset(topicPartition: TopicPartition("orders", 0), previousOffset: nil, requestedOffset: 99, newOffset: 2)])
        let back = try test.broker.resetOffsets(groupId: "g", scope: .allTopics, to: .shift(-5), execute: false)
        #expect(back == [OffsetReset(topicPartition: TopicPartition("orders", 0), previousOffset: 2, requestedOffset: -3, newOffset: 0)])
    }

    @Test("a shift needs a committed offset on every partition it moves, as Kafka's tool says", arguments: Backend.allCases)
    func shiftWithoutOffset(backend: Backend) throws {
        let test = try TestBroker(backend)
        try broker(test)
        _ = test.broker.commitOffsets(groupId: "g", offsets: [TopicPartition("orders", 0): CommittedOffset(offset: 2)])
        let error = brokerError { _ = try test.broker.resetOffsets(groupId: "g", scope: .topics([TopicSelection("orders")]), to: .shift(-1), execute: true) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.hasPrefix("Cannot shift offset for partition orders-1, orders-2 since there is no current committed offset") == true)
        #expect(test.broker.committedOffsets(groupId: "g").mapValues(\.offset) == [TopicPartition("orders", 0): 2])
    }
}
