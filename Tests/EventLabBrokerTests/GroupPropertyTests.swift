import Synchronization
import Testing
@testable import EventLabCore
import EventLabTestSupport

/// Simulated consumers that rejoin whenever a heartbeat asks them to, as real clients do.
struct SimulatedGroup {
    let broker: Broker
    let group = "g"
    var members: [String: Int32] = [:]  // member id → generation it last synced

    /// Joins a new member; the others rejoin until the rebalance completes. Returns its id.
    mutating func add() throws -> String {
        let pending = Mutex<[String: JoinGroupResponse]>([:])
        let subscription = ConsumerProtocol.Subscription(topics: ["t"]).encoded()
        func join(_ memberId: String, key: String) {
            broker.joinGroup(JoinGroupRequest(groupId: group, memberId: memberId, clientId: "sim", protocols: [GroupProtocol(name: "range", metadata: subscription)])) { response in
                pending.withLock { $0[key] = response }
            }
        }
        join("", key: "new")
        for member in members.keys.sorted() { join(member, key: member) }
        let responses = pending.withLock { $0 }
        #expect(responses.count == members.count + 1)
        try sync(responses.values.sorted { $0.memberId < $1.memberId })
        return responses["new"]!.memberId
    }

    /// Removes a member; the others rejoin.
    mutating func remove(_ memberId: String) throws {
        #expect(broker.leaveGroup(groupId: group, memberId: memberId) == .none)
        members[memberId] = nil
        guard !members.isEmpty else { return }
        let pending = Mutex<[JoinGroupResponse]>([])
        for member in members.keys.sorted() {
            #expect(broker.heartbeat(groupId: group, memberId: member, generationId: members[member]!) == .rebalanceInProgress)
            broker.joinGroup(JoinGroupRequest(groupId: group, memberId: member, clientId: "sim", protocols: [GroupProtocol(name: "range", metadata: ConsumerProtocol.Subscription(topics: ["t"]).encoded())])) { response in
                pending.withLock { $0.append(response) }
            }
        }
        try sync(pending.withLock { $0 })
    }

    private mutating func sync(_ responses: [JoinGroupResponse]) throws {
        let leader = try #require(responses.first { $0.isLeader })
        var subscriptions: [String: [String]] = [:]
        for member in leader.members { subscriptions[member.memberId] = try ConsumerProtocol.Subscription(decoding: member.metadata).topics }
        let counts = ["t": Int32(try broker.describeTopic("t").partitions.count)]
        let assignments = RangeAssignor().assign(subscriptions: subscriptions, partitionCounts: counts).mapValues { ConsumerProtocol.Assignment(partitions: $0).encoded() }
        for response in responses.sorted(by: { !$0.isLeader && $1.isLeader }) {
            broker.syncGroup(SyncGroupRequest(groupId: group, generationId: response.generationId, memberId: response.memberId, assignments: response.isLeader ? assignments : [:])) { _ in }
            members[response.memberId] = response.generationId
        }
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
