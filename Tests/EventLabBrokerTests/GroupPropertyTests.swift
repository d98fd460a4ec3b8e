import Testing
@testable import EventLabCore
import EventLabTestSupport

/// Group members that rejoin whenever a heartbeat asks them to, as real clients do.
struct SimulatedGroup {
    let broker: Broker
    let group = "g"
    private var driven: [GroupMember] = []

    init(broker: Broker) {
        self.broker = broker
    }

    /// Each member's id and the generation it last synced.
    var members: [String: Int32] {
        Dictionary(uniqueKeysWithValues: driven.map { ($0.memberId, $0.generation) })
    }

    /// Joins a new member; the others rejoin until the rebalance completes. Returns its id.
    mutating func add() throws -> String {
        let member = GroupMember(broker: broker, configuration: GroupMemberConfiguration(groupId: group, clientId: "sim", topics: ["t"]))
        member.start()
        driven.append(member)
        try GroupMember.settle(driven)
        return member.memberId
    }

    /// Removes a member; the others rejoin.
    mutating func remove(_ memberId: String) throws {
        let leaving = try #require(driven.first { $0.memberId == memberId })
        leaving.leave()
        driven.removeAll { $0 === leaving }
        try GroupMember.settle(driven)
    }
}

@Suite("Consumer groups against a reference model")
struct GroupPropertyTests {
    @Test("random joins, leaves and commits keep one owner per partition and every accepted commit", arguments: Backend.allCases, 0..<10)
    func randomMembership(backend: Backend, seed: Int) throws {
        var random = SplitMix(seed: UInt64(seed) &+ 1000)
        let (broker, _) = makeBroker(backend)
        let partitions = Int32(random.next() % 4) + 1
        try broker.createTopic("t", partitions: Int(partitions))
        var group = SimulatedGroup(broker: broker)
        var committed: [Int32: Int64] = [:]
        var generation: Int32 = 0

        for _ in 0..<40 {
            switch random.next() % 4 {
            case 0:
                _ = try group.add()
                generation += 1
            case 1:
                guard let member = group.members.keys.sorted().randomElement(using: &random) else { continue }
                try group.remove(member)
                generation += 1
            default:
                let partition = Int32(random.next() % UInt64(partitions))
                let offset = Int64(random.next() % 100)
                let topicPartition = TopicPartition("t", partition)
                if let member = group.members.keys.sorted().randomElement(using: &random) {
                    let stale = random.next() % 4 == 0
                    let result = broker.commitOffsets(groupId: "g", memberId: member, generationId: stale ? generation - 1 : generation, offsets: [topicPartition: CommittedOffset(offset: offset)])
                    #expect(result[topicPartition] == (stale ? .illegalGeneration : KafkaErrorCode.none))
                    if !stale { committed[partition] = offset }
                } else {
                    let result = broker.commitOffsets(groupId: "g", offsets: [topicPartition: CommittedOffset(offset: offset)])
                    #expect(result[topicPartition] == KafkaErrorCode.none)
                    committed[partition] = offset
                }
            }
            let description = try? broker.describeGroup("g")
            if group.members.isEmpty {
                #expect(description == nil || description?.state == .empty)
            } else {
                let description = try #require(description)
                #expect(description.state == .stable)
                #expect(description.generation == generation)
                #expect(Set(description.members.map(\.memberId)) == Set(group.members.keys))
                let owned = description.members.flatMap(\.assignment)
                #expect(owned.sorted() == (0..<partitions).map { TopicPartition("t", $0) })
            }
            #expect(broker.committedOffsets(groupId: "g").mapValues(\.offset) == Dictionary(uniqueKeysWithValues: committed.map { (TopicPartition("t", $0.key), $0.value) }))
            if description == nil { generation = 0 }
        }
    }
}
