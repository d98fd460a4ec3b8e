import EventLabCore
@testable import EventLabWire
import EventLabTestSupport
import Testing

@Suite("Admin APIs: deleting records, groups and a group's offsets, as the REPL sees them")
struct DeletionAPITests {
    let p0 = TopicPartition("orders", 0), p1 = TopicPartition("orders", 1)

    /// Topic `orders` (2 partitions, 3 records on 0) and group `billing` committed on both partitions.
    func committed(_ test: TestBroker) throws {
        try test.broker.createTopic("orders", partitions: 2)
        _ = try test.broker.publish("orders", (0..<3).map { ProducerRecord(key: nil, value: "v\($0)", partition: 0) })
        _ = test.broker.commitOffsets(groupId: "billing", offsets: [p0: CommittedOffset(offset: 1), p1: CommittedOffset(offset: 0)])
    }

    @Test("ApiVersions advertises DeleteRecords 0–1, DeleteGroups 0–2 and OffsetDelete 0")
    func advertised() {
        let apis = Dictionary(uniqueKeysWithValues: ApiVersionsResponse.supported.apiKeys.map { ($0.apiKey, [$0.minVersion, $0.maxVersion]) })
        #expect(apis[21] == [0, 1])
        #expect(apis[42] == [0, 2])
        #expect(apis[47] == [0, 0])
    }

    @Test("DeleteRecords moves a partition's log start and answers it; an offset past the high watermark is OFFSET_OUT_OF_RANGE",
          arguments: Backend.allCases)
    func deleteRecords(_ backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        for version: Int16 in [0, 1] {
            let request = DeleteRecordsRequest(topics: [
                .init(name: "orders", partitions: [.init(partitionIndex: 0, offset: Int64(1 + version)), .init(partitionIndex: 1, offset: 4)]),
                .init(name: "missing", partitions: [.init(partitionIndex: 0, offset: 0)]),
            ])
            let topics = try exchange(test.broker, request, version: version).topics
            #expect(topics.map(\.name) == ["orders", "missing"])
            #expect(topics[0].partitions == [.init(partitionIndex: 0, lowWatermark: Int64(1 + version), errorCode: 0), .init(partitionIndex: 1, lowWatermark: -1, errorCode: 1)])
            #expect(topics[1].partitions == [.init(partitionIndex: 0, lowWatermark: -1, errorCode: 3)])
        }
        let all = DeleteRecordsRequest(topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, offset: -1)])])
        #expect(try exchange(test.broker, all, version: 1).topics[0].partitions[0].lowWatermark == 3)
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("orders").partitions.map(\.logStartOffset) == [3, 0])
    }

    @Test("DeleteGroups deletes an empty group and answers NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND for the others, in every version",
          arguments: Backend.allCases)
    func deleteGroups(_ backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        _ = test.broker.commitOffsets(groupId: "shop", offsets: [p0: CommittedOffset(offset: 2)])
        let member = try GroupMember.joined(test.broker, group: "shop", topics: ["orders"])
        for version: Int16 in [0, 1, 2] {
            let results = try exchange(test.broker, DeleteGroupsRequest(groupsNames: ["billing", "shop", "nobody"]), version: version).results
            #expect(results == [.init(groupId: "billing", errorCode: version == 0 ? 0 : 69), .init(groupId: "shop", errorCode: 68), .init(groupId: "nobody", errorCode: 69)])
        }
        member.leave()
        let twice = try exchange(test.broker, DeleteGroupsRequest(groupsNames: ["shop", "", "shop"]), version: 2).results
        #expect(twice == [.init(groupId: "shop", errorCode: 0), .init(groupId: "", errorCode: 24)])
        #expect(test.broker.groups().isEmpty)
    }

    @Test("OffsetDelete deletes a group's offsets per partition: GROUP_SUBSCRIBED_TO_TOPIC while a member reads the topic; an unknown group is an error for the whole group",
          arguments: Backend.allCases)
    func offsetDelete(_ backend: Backend) throws {
        let test = try TestBroker(backend)
        try committed(test)
        try test.broker.createTopic("other", partitions: 1)
        let other = TopicPartition("other", 0)
        _ = test.broker.commitOffsets(groupId: "billing", offsets: [other: CommittedOffset(offset: 0)])
        var member: GroupMember? = try GroupMember.joined(test.broker, group: "billing", topics: ["orders"])
        let request = OffsetDeleteRequest(groupId: "billing", topics: [
            .init(name: "orders", partitions: [.init(partitionIndex: 0)]), .init(name: "other", partitions: [.init(partitionIndex: 0), .init(partitionIndex: 3)]),
        ])
        let response = try exchange(test.broker, request, version: 0)
        #expect(response.errorCode == 0)
        #expect(response.topics == [
            .init(name: "orders", partitions: [.init(partitionIndex: 0, errorCode: 86)]),
            .init(name: "other", partitions: [.init(partitionIndex: 0, errorCode: 0), .init(partitionIndex: 3, errorCode: 3)]),
        ])
        #expect(test.broker.committedOffsets(groupId: "billing").keys.sorted() == [p0, p1])
        member?.leave()
        member = nil
        let orders = OffsetDeleteRequest(groupId: "billing", topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0), .init(partitionIndex: 1)])])
        #expect(try exchange(test.broker, orders, version: 0).topics[0].partitions.map(\.errorCode) == [0, 0])
        #expect(test.broker.groups().isEmpty)

        let unknown = try exchange(test.broker, orders, version: 0)
        #expect(unknown.errorCode == 69 && unknown.topics.isEmpty)
    }
}
