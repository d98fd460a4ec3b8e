import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("Assignors and the consumer protocol")
struct AssignorTests {
    @Test("range gives each member a consecutive range per topic, the first members one extra")
    func range() {
        let result = RangeAssignor().assign(
            subscriptions: ["m1": ["orders", "payments"], "m2": ["orders", "payments"]],
            partitionCounts: ["orders": 3, "payments": 2])
        #expect(result["m1"] == [TopicPartition("orders", 0), TopicPartition("orders", 1), TopicPartition("payments", 0)])
        #expect(result["m2"] == [TopicPartition("orders", 2), TopicPartition("payments", 1)])
    }

    @Test("round-robin deals all partitions in turn, skipping members not subscribed")
    func roundRobin() {
        let result = RoundRobinAssignor().assign(
            subscriptions: ["m1": ["orders", "payments"], "m2": ["orders"]],
            partitionCounts: ["orders": 3, "payments": 2])
        #expect(result["m1"] == [TopicPartition("orders", 0), TopicPartition("orders", 2), TopicPartition("payments", 0), TopicPartition("payments", 1)])
        #expect(result["m2"] == [TopicPartition("orders", 1)])
    }

    @Test("members beyond the partition count get nothing but still appear")
    func moreMembersThanPartitions() {
        for assignor in [RangeAssignor() as any PartitionAssignor, RoundRobinAssignor()] {
            let result = assignor.assign(subscriptions: ["a": ["t"], "b": ["t"], "c": ["t"]], partitionCounts: ["t": 2])
            #expect(result.values.map(\.count).sorted() == [0, 1, 1])
        }
    }

    @Test("subscriptions and assignments round-trip in Kafka's format")
    func protocolRoundTrip() throws {
        let subscription = ConsumerProtocol.Subscription(topics: ["orders", "payments"])
        #expect(try ConsumerProtocol.Subscription(decoding: subscription.encoded()) == subscription)
        let assignment = ConsumerProtocol.Assignment(partitions: [TopicPartition("orders", 0), TopicPartition("orders", 2)])
        #expect(try ConsumerProtocol.Assignment(decoding: assignment.encoded()) == assignment)
        #expect(try ConsumerProtocol.Assignment(decoding: []).partitions.isEmpty)
    }

    @Test("a subscription as kafka-python writes it decodes")
    func kafkaPythonSubscription() throws {
        // ConsumerProtocolMemberMetadata(0, ['orders'], b'') from kafka-python.
        let bytes: [UInt8] = [0, 0, 0, 0, 0, 1, 0, 6] + Array("orders".utf8) + [0, 0, 0, 0]
        #expect(try ConsumerProtocol.Subscription(decoding: bytes).topics == ["orders"])
    }

    @Test("malformed payloads are typed errors, never crashes")
    func malformed() {
        var generator = SplitMix(seed: 11)
        for _ in 0..<1000 {
            let junk = (0..<Int(generator.next() % 24)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? ConsumerProtocol.Subscription(decoding: junk)
            _ = try? ConsumerProtocol.Assignment(decoding: junk)
        }
        #expect(brokerError { _ = try ConsumerProtocol.Subscription(decoding: [0, 0, 0, 0, 0, 9]) }?.code == .inconsistentGroupProtocol)
    }
}
