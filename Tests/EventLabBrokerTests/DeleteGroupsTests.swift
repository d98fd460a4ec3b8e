@testable import EventLabCore
import EventLabTestSupport
import Testing

@Suite("Deleting groups and their offsets (DeleteGroups, OffsetDelete)")
struct DeleteGroupsTests {
    let p0 = TopicPartition("orders", 0), p1 = TopicPartition("orders", 1), other = TopicPartition("other", 0)

    /// Topics `orders` (2 partitions) and `other`; group `billing` committed on all three.
    func committed(_ test: TestBroker) throws {
        try test.broker.createTopic("orders", partitions: 2)
        try test.broker.createTopic("other", partitions: 1)
        _ = try test.broker.publish("orders", [ProducerRecord(key: nil, value: "a", partition: 0)])
        _ = test.broker.commitOffsets(groupId: "billing", offsets: [p0: CommittedOffset(offset: 1), p1: CommittedOffset(offset: 0), other: CommittedOffset(offset: 0)])
    }

    @Test("an empty group is deleted with its offsets, also after a restart, and a consumer under its name starts anew", arguments: Backend.allCases)
    func deleteEmpty(backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        _ = test.broker.commitOffsets(groupId: "kept", offsets: [p0: CommittedOffset(offset: 1)])
        #expect(try test.broker.deleteGroup("billing") == [p0, p1, other])
        #expect(test.broker.groups().map(\.groupId) == ["kept"])
        #expect(test.broker.committedOffsets(groupId: "billing").isEmpty)
        try test.reopen(clean: false)
        #expect(test.broker.groups().map(\.groupId) == ["kept"])
        #expect(try test.broker.consumerStarts(groupId: "billing", topic: "orders", partitions: [0], reset: .latest)
            == [ConsumerStart(topicPartition: p0, offset: 1, reason: .noCommittedOffset)])
    }

    @Test("a group with members is NON_EMPTY_GROUP; once they leave it can be deleted", arguments: Backend.allCases)
    func deleteWithMembers(backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        let member = try GroupMember.joined(test.broker, group: "billing", topics: ["orders"])
        let error = brokerError { try test.broker.deleteGroup("billing") }
        #expect(error?.code == .nonEmptyGroup)
        #expect(error?.message == "group 'billing' cannot be deleted: it is Stable with 1 member(s), and Kafka deletes only a group without members: stop its consumers first")
        #expect(test.broker.committedOffsets(groupId: "billing").count == 3)
        member.leave()
        try test.broker.deleteGroup("billing")
        #expect(test.broker.groups().isEmpty)
    }

    @Test("an unknown group is GROUP_ID_NOT_FOUND, an empty id INVALID_GROUP_ID", arguments: Backend.allCases)
    func deleteUnknown(backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        let error = brokerError { try test.broker.deleteGroup("nobody") }
        #expect(error?.code == .groupIdNotFound)
        #expect(error?.message == "group 'nobody' does not exist; groups: billing")
        #expect(brokerError { try test.broker.deleteGroup("") }?.code == .invalidGroupId)
        #expect(brokerError { _ = try test.broker.deleteOffsets(groupId: "nobody", partitions: [p0]) }?.code == .groupIdNotFound)
        #expect(brokerError { _ = try test.broker.deleteOffsets(groupId: "", partitions: [p0]) }?.code == .invalidGroupId)
    }

    @Test("an empty group's offsets on a topic go, also after a restart; unknown partitions get UNKNOWN_TOPIC_OR_PARTITION", arguments: Backend.allCases)
    func deleteOffsetsOfEmpty(backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        let nope = TopicPartition("nope", 0), high = TopicPartition("orders", 5)
        let result = try test.broker.deleteOffsets(groupId: "billing", partitions: [p0, p1, nope, high])
        #expect(result == [p0: .none, p1: .none, nope: .unknownTopicOrPartition, high: .unknownTopicOrPartition])
        try test.reopen(clean: false)
        #expect(test.broker.committedOffsets(groupId: "billing").keys.sorted() == [other])
        #expect(try test.broker.deleteOffsets(groupId: "billing", partitions: [other]) == [other: .none])
        #expect(test.broker.groups().isEmpty, "a group without members and offsets is gone")
    }

    @Test("a member subscribed to the topic keeps its offsets with GROUP_SUBSCRIBED_TO_TOPIC; other topics' offsets go", arguments: Backend.allCases)
    func deleteOffsetsSubscribed(backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        var member: GroupMember? = try GroupMember.joined(test.broker, group: "billing", topics: ["orders"])
        let result = try test.broker.deleteOffsets(groupId: "billing", partitions: [p0, other])
        #expect(result == [p0: .groupSubscribedToTopic, other: .none])
        #expect(test.broker.committedOffsets(groupId: "billing").keys.sorted() == [p0, p1])
        // The member holds the broker: a killed process lets both go.
        member = nil
        try test.reopen(clean: false)
        #expect(test.broker.committedOffsets(groupId: "billing").keys.sorted() == [p0, p1])
        _ = member
    }
}
