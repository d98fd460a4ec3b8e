import EventLabCore
@testable import EventLabWire
import Synchronization
import Testing

/// `request` as a client sends it at `version`: header v1, or v2 with its tag block in a
/// flexible version, then the body.
func requestFrame<R: KafkaRequest>(_ request: R, version: Int16, client: String? = "test") throws -> [UInt8] {
    let flexible = R.apiKey.flexibleVersions.contains(version)
    var writer = WireWriter()
    writer.integer(R.apiKey.rawValue)
    writer.integer(version)
    writer.integer(Int32(7))
    writer.string(client)
    if flexible { writer.unsignedVarint(0) }
    return writer.bytes + (try request.encoded(version: version, flexible: flexible).bytes())
}

/// The group APIs over one broker with topic `t` (2 partitions), as a client at some version sees them.
struct GroupClient {
    let api: KafkaAPI
    let broker: Broker

    init() throws {
        broker = try Broker(waker: nil)
        try broker.createTopic("t", partitions: 2)
        api = KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092)
    }

    /// Sends `request` at `version`; the answers it got so far (a join or sync may wait).
    func send<R: KafkaRequest>(_ request: R, version: Int16) throws -> Answers {
        let (header, decoded) = try RequestDecoder.decode(try requestFrame(request, version: version))
        let answers = Answers()
        api.handle(header, decoded) { answers.add($0.body) }
        return answers
    }

    /// The answer to `request` at `version`, read to its last byte.
    func call<R: KafkaRequest>(_ request: R, version: Int16, sourceLocation: SourceLocation = #_sourceLocation) throws -> R.Response {
        try Self.decode(R.self, try send(request, version: version).lastBytes(sourceLocation: sourceLocation), version: version)
    }

    static func decode<R: KafkaRequest>(_: R.Type, _ bytes: [UInt8], version: Int16) throws -> R.Response {
        var reader = WireReader(bytes)
        let response = try R.Response.decoded(from: &reader, version: version, flexible: R.apiKey.flexibleVersions.contains(version))
        #expect(reader.remaining == 0, "\(reader.remaining) bytes left in the answer")
        return response
    }

    static func join(_ group: String = "g", member: String = "", instance: String? = nil, metadata: [UInt8] = subscription) -> JoinGroupWireRequest {
        var join = JoinGroupWireRequest()
        join.groupId = group
        join.sessionTimeoutMs = 10_000
        join.rebalanceTimeoutMs = 30_000
        join.memberId = member
        join.groupInstanceId = instance
        join.protocolType = "consumer"
        join.protocols = [.init(name: "range", metadata: metadata)]
        return join
    }

    static let subscription = ConsumerProtocol.Subscription(topics: ["t"]).encoded()

    /// One member joined and synced at `version` of JoinGroup (SyncGroup v0): its id and generation.
    func joinedMember(
        _ group: String = "g", joinVersion: Int16 = 1, instance: String? = nil, metadata: [UInt8] = subscription
    ) throws -> (id: String, generation: Int32) {
        var joined = try call(Self.join(group, instance: instance, metadata: metadata), version: joinVersion)
        if joined.errorCode == KafkaErrorCode.memberIdRequired.rawValue {
            joined = try call(Self.join(group, member: joined.memberId, instance: instance, metadata: metadata), version: joinVersion)
        }
        #expect(joined.errorCode == 0)
        var sync = SyncGroupWireRequest()
        sync.groupId = group
        sync.generationId = joined.generationId
        sync.memberId = joined.memberId
        sync.assignments = [.init(memberId: joined.memberId, assignment: ConsumerProtocol.Assignment(partitions: [TopicPartition("t", 0)]).encoded())]
        #expect(try call(sync, version: 0).errorCode == 0)
        return (joined.memberId, joined.generationId)
    }

    static func commit(_ group: String = "g", member: String = "", generation: Int32 = -1, offset: Int64 = 5, metadata: String? = "m") -> OffsetCommitRequest {
        var commit = OffsetCommitRequest()
        commit.groupId = group
        commit.generationId = generation
        commit.memberId = member
        commit.topics = [.init(name: "t", partitions: [.init(index: 0, offset: offset, metadata: metadata)])]
        return commit
    }

    static func fetch(_ group: String = "g", topics: [OffsetFetchRequest.Topic]? = [.init(name: "t", partitions: [0, 1])]) -> OffsetFetchRequest {
        var fetch = OffsetFetchRequest()
        fetch.groupId = group
        fetch.topics = topics
        return fetch
    }
}

@Suite("Consumer-group APIs at every version Kafka 2.5 serves")
struct GroupAPITests {
    @Test("JoinGroup v0 has no rebalance timeout: the session timeout stands for it", arguments: [Int16(0), 1])
    func joinV0RebalanceTimeout(version: Int16) throws {
        let client = try GroupClient()
        #expect(try client.call(GroupClient.join(), version: version).errorCode == 0)
        let member = try #require(client.broker.coordinatedGroup("g")?.members.first)
        #expect(member.rebalanceTimeoutMs == (version == 0 ? 10_000 : 30_000))
    }

    @Test("every JoinGroup version joins; v7 names the protocol type, and a refused join's protocol name is null only from v7",
          arguments: Int16(0)...7)
    func joinEveryVersion(version: Int16) throws {
        let client = try GroupClient()
        var answer = try client.call(GroupClient.join(), version: version)
        if version >= 4 {
            #expect(answer.errorCode == KafkaErrorCode.memberIdRequired.rawValue)
            #expect(answer.protocolName == (version >= 7 ? nil : ""))
            #expect(answer.protocolType == nil)
            answer = try client.call(GroupClient.join(member: answer.memberId), version: version)
        }
        #expect(answer.errorCode == 0)
        #expect(answer.generationId == 1)
        #expect(answer.protocolName == "range")
        #expect(answer.protocolType == (version >= 7 ? "consumer" : nil))
        #expect(answer.leader == answer.memberId)
        #expect(answer.members.map(\.metadata) == [GroupClient.subscription])
    }

    @Test("SyncGroup v5 must name the group's protocol type and assignor, and names them back; v0–4 need not",
          arguments: Int16(0)...5)
    func syncEveryVersion(version: Int16) throws {
        let client = try GroupClient()
        let joined = try client.call(GroupClient.join(), version: 1)
        var sync = SyncGroupWireRequest()
        sync.groupId = "g"
        sync.generationId = joined.generationId
        sync.memberId = joined.memberId
        sync.assignments = [.init(memberId: joined.memberId, assignment: [0, 1, 2])]
        if version >= 5 {
            #expect(try client.call(sync, version: version).errorCode == KafkaErrorCode.inconsistentGroupProtocol.rawValue)
            sync.protocolType = "consumer"
            sync.protocolName = "roundrobin"
            #expect(try client.call(sync, version: version).errorCode == KafkaErrorCode.inconsistentGroupProtocol.rawValue)
            sync.protocolName = "range"
        }
        let answer = try client.call(sync, version: version)
        #expect(answer.errorCode == 0)
        #expect(answer.assignment == [0, 1, 2])
        #expect(answer.protocolType == (version >= 5 ? "consumer" : nil))
        #expect(answer.protocolName == (version >= 5 ? "range" : nil))
    }

    @Test("Heartbeat at every version keeps a member; an unknown member and an empty group id get Kafka's errors",
          arguments: Int16(0)...4)
    func heartbeatEveryVersion(version: Int16) throws {
        let client = try GroupClient()
        let member = try client.joinedMember()
        var heartbeat = HeartbeatRequest()
        heartbeat.groupId = "g"
        heartbeat.generationId = member.generation
        heartbeat.memberId = member.id
        #expect(try client.call(heartbeat, version: version).errorCode == 0)
        heartbeat.memberId = "someone"
        #expect(try client.call(heartbeat, version: version).errorCode == KafkaErrorCode.unknownMemberId.rawValue)
        heartbeat.groupId = ""
        #expect(try client.call(heartbeat, version: version).errorCode == KafkaErrorCode.invalidGroupId.rawValue)
    }

    @Test("LeaveGroup v0–2 takes one member and answers its error as the request's own", arguments: Int16(0)...2)
    func leaveOne(version: Int16) throws {
        let client = try GroupClient()
        let member = try client.joinedMember()
        var leave = LeaveGroupRequest()
        leave.groupId = "g"
        leave.memberId = "someone"
        #expect(try client.call(leave, version: version).errorCode == KafkaErrorCode.unknownMemberId.rawValue)
        leave.memberId = member.id
        #expect(try client.call(leave, version: version).errorCode == 0)
        #expect(client.broker.coordinatedGroup("g")?.members.isEmpty ?? true)
    }

    @Test("LeaveGroup v3+ takes a batch, by member id or by instance id, with an error per member", arguments: Int16(3)...4)
    func leaveBatch(version: Int16) throws {
        let client = try GroupClient()
        _ = try client.call(GroupClient.join(instance: "i-1"), version: 5)
        // The second join waits for the first member to rejoin; it is in the group meanwhile.
        _ = try client.send(GroupClient.join(instance: "i-2"), version: 5)
        let members = try #require(client.broker.coordinatedGroup("g")?.members)
        var leave = LeaveGroupRequest()
        leave.groupId = "g"
        leave.members = [.init(memberId: "someone"), .init(memberId: "", groupInstanceId: "i-1"), .init(memberId: "stale", groupInstanceId: "i-2")]
        let answer = try client.call(leave, version: version)
        #expect(answer.errorCode == 0)
        #expect(answer.members == [
            .init(memberId: "someone", groupInstanceId: nil, errorCode: KafkaErrorCode.unknownMemberId.rawValue),
            .init(memberId: "", groupInstanceId: "i-1", errorCode: 0),
            .init(memberId: "stale", groupInstanceId: "i-2", errorCode: KafkaErrorCode.fencedInstanceId.rawValue),
        ])
        #expect(client.broker.coordinatedGroup("g")?.members.map(\.id) == [members[1].id])
        leave.groupId = ""
        #expect(try client.call(leave, version: version).errorCode == KafkaErrorCode.invalidGroupId.rawValue)
    }

    @Test("OffsetCommit v0 is stored in the group, as a commit outside any generation: OffsetFetch v1+ sees it")
    func commitV0() throws {
        let client = try GroupClient()
        let answer = try client.call(GroupClient.commit(offset: 7), version: 0)
        #expect(answer.topics.first?.partitions.map(\.errorCode) == [0])
        let fetched = try client.call(GroupClient.fetch(), version: 1)
        #expect(fetched.topics.first?.partitions.map(\.offset) == [7, -1])
        #expect(fetched.topics.first?.partitions.map(\.metadata) == ["m", ""])
        _ = try client.joinedMember("busy")
        let busy = try client.call(GroupClient.commit("busy"), version: 0)
        #expect(busy.topics.first?.partitions.map(\.errorCode) == [KafkaErrorCode.unknownMemberId.rawValue])
    }

    @Test("OffsetCommit at every version: a simple commit to an empty group, and a member's commit in its generation",
          arguments: Int16(0)...8)
    func commitEveryVersion(version: Int16) throws {
        let client = try GroupClient()
        var simple = GroupClient.commit("simple", offset: 3, metadata: nil)
        simple.retentionTimeMs = 60_000
        simple.topics[0].partitions[0].leaderEpoch = version >= 6 ? 4 : -1
        #expect(try client.call(simple, version: version).topics.first?.partitions.map(\.errorCode) == [0])
        #expect(client.broker.committedOffsets(groupId: "simple")[TopicPartition("t", 0)]?.metadata == "")
        guard version >= 1 else { return }
        let member = try client.joinedMember()
        let commit = GroupClient.commit(member: member.id, generation: member.generation, offset: 9)
        #expect(try client.call(commit, version: version).topics.first?.partitions.map(\.errorCode) == [0])
        var stale = commit
        stale.generationId += 1
        #expect(try client.call(stale, version: version).topics.first?.partitions.map(\.errorCode) == [KafkaErrorCode.illegalGeneration.rawValue])
        var unknown = GroupClient.commit(member: member.id, generation: member.generation)
        unknown.topics[0].name = "nope"
        #expect(try client.call(unknown, version: version).topics.first?.partitions.map(\.errorCode) == [KafkaErrorCode.unknownTopicOrPartition.rawValue])
        #expect(try client.call(GroupClient.fetch(), version: version <= 7 ? version : 7).topics.first?.partitions.map(\.offset) == [9, -1])
    }

    @Test("OffsetCommit v1 keeps a partition's own commit timestamp; -1 means when the broker receives it")
    func commitV1Timestamp() throws {
        let client = try GroupClient()
        var commit = GroupClient.commit()
        commit.topics[0].partitions.append(.init(index: 1, offset: 2))
        commit.topics[0].partitions[0].commitTimestamp = 1_234
        #expect(try client.call(commit, version: 1).topics.first?.partitions.map(\.errorCode) == [0, 0])
        let stored = client.broker.committedOffsets(groupId: "g")
        #expect(stored[TopicPartition("t", 0)]?.commitTimestamp == 1_234)
        #expect(stored[TopicPartition("t", 1)]?.commitTimestamp != 1_234)
    }

    @Test("OffsetCommit v7 fences a static member whose instance id a newer member holds")
    func commitFenced() throws {
        let client = try GroupClient()
        let member = try client.joinedMember(joinVersion: 5, instance: "i-1")
        var commit = GroupClient.commit(member: "old-\(member.id)", generation: member.generation)
        commit.groupInstanceId = "i-1"
        #expect(try client.call(commit, version: 7).topics.first?.partitions.map(\.errorCode) == [KafkaErrorCode.fencedInstanceId.rawValue])
        commit.memberId = member.id
        #expect(try client.call(commit, version: 7).topics.first?.partitions.map(\.errorCode) == [0])
    }

    @Test("OffsetFetch: v0 answers UNKNOWN_TOPIC_OR_PARTITION where the group has no offset, v1+ offset -1; from v2 null topics mean all",
          arguments: Int16(0)...7)
    func fetchEveryVersion(version: Int16) throws {
        let client = try GroupClient()
        _ = try client.call(GroupClient.commit(offset: 4), version: 2)
        var fetch = GroupClient.fetch()
        fetch.requireStable = true
        let answer = try client.call(fetch, version: version)
        #expect(answer.errorCode == 0)
        #expect(answer.topics.first?.partitions.map(\.offset) == [4, -1])
        #expect(answer.topics.first?.partitions.map(\.errorCode) == [0, version == 0 ? KafkaErrorCode.unknownTopicOrPartition.rawValue : 0])
        if version >= 2 {
            let all = try client.call(GroupClient.fetch(topics: nil), version: version)
            #expect(all.topics.map(\.name) == ["t"])
            #expect(all.topics.first?.partitions.map(\.index) == [0])
        } else {
            let nullTopics = frame(key: .offsetFetch, version: version) { writer in writer.string("g"); writer.integer(Int32(-1)) }
            #expect(throws: WireError.self) { try RequestDecoder.decode(nullTopics) }
        }
    }

    @Test("DescribeGroups at every version: members with their metadata and assignment; authorized operations when asked (v3+)",
          arguments: Int16(0)...5)
    func describeEveryVersion(version: Int16) throws {
        let client = try GroupClient()
        let member = try client.joinedMember(joinVersion: 5, instance: "i-1")
        var describe = DescribeGroupsRequest()
        describe.groups = ["g", "nobody"]
        describe.includeAuthorizedOperations = true
        let answer = try client.call(describe, version: version)
        #expect(answer.groups.map(\.state) == ["Stable", "Dead"])
        let group = try #require(answer.groups.first)
        #expect(group.protocolName == "range")
        #expect(group.members.map(\.memberId) == [member.id])
        #expect(group.members.first?.groupInstanceId == (version >= 4 ? "i-1" : nil))
        #expect(group.members.first?.metadata == GroupClient.subscription)
        #expect(try ConsumerProtocol.Assignment(decoding: group.members.first?.assignment ?? []).partitions == [TopicPartition("t", 0)])
        #expect(group.authorizedOperations == (version >= 3 ? 328 : Int32.min))
        describe.includeAuthorizedOperations = false
        #expect(try client.call(describe, version: version).groups.first?.authorizedOperations == Int32.min)
    }

    @Test("DescribeGroups names no assignor, metadata or assignment while a group rebalances, as Kafka does")
    func describeDuringRebalance() throws {
        let client = try GroupClient()
        _ = try client.joinedMember()
        // A second member's join starts a rebalance the first has yet to rejoin.
        _ = try client.send(GroupClient.join(), version: 1)
        var describe = DescribeGroupsRequest()
        describe.groups = ["g"]
        let group = try #require(try client.call(describe, version: 0).groups.first)
        #expect(group.state == "PreparingRebalance")
        #expect(group.protocolType == "consumer")
        #expect(group.protocolName == "")
        #expect(group.members.count == 2)
        #expect(group.members.allSatisfy { $0.metadata.isEmpty && $0.assignment.isEmpty })
    }

    @Test("JoinGroup and DescribeGroups send large member metadata from where the group holds it, in flexible versions too")
    func largeMetadataIsShared() throws {
        let client = try GroupClient()
        let metadata = ConsumerProtocol.Subscription(topics: ["t"], userData: Array(repeating: 7, count: 400)).encoded()
        /// The pieces of the answer to `request` at `version` that are the group's own copy of `metadata`.
        func sharedPieces<R: KafkaRequest>(_ request: R, version: Int16) throws -> Int {
            let (header, decoded) = try RequestDecoder.decode(try requestFrame(request, version: version))
            let pieces = Mutex<[ResponseBody.Piece]>([])
            client.api.handle(header, decoded) { reply in pieces.withLock { $0 = reply.body?.pieces ?? [] } }
            let held = try #require(client.broker.coordinatedGroup("g")?.members.first?.protocols.first?.metadata)
            let address = held.withUnsafeBufferPointer { $0.baseAddress }
            return pieces.withLock { $0 }.filter { piece in
                guard case .bytes(let bytes) = piece, bytes.count == metadata.count else { return false }
                return bytes.withUnsafeBufferPointer { $0.baseAddress } == address
            }.count
        }
        #expect(try sharedPieces(GroupClient.join(metadata: metadata), version: 1) == 1)
        var describe = DescribeGroupsRequest()
        describe.groups = ["g"]
        let member = try #require(client.broker.coordinatedGroup("g")?.members.first)
        var sync = SyncGroupWireRequest()
        sync.groupId = "g"
        sync.generationId = 1
        sync.memberId = member.id
        _ = try client.call(sync, version: 0)
        for version in [Int16(4), 5] {
            #expect(try sharedPieces(describe, version: version) == 1)
        }
    }

    @Test("ListGroups at every version lists each group with its protocol type", arguments: Int16(0)...3)
    func listEveryVersion(version: Int16) throws {
        let client = try GroupClient()
        _ = try client.joinedMember("b")
        _ = try client.joinedMember("a")
        let answer = try client.call(ListGroupsRequest(), version: version)
        #expect(answer.errorCode == 0)
        #expect(answer.groups == [.init(groupId: "a", protocolType: "consumer"), .init(groupId: "b", protocolType: "consumer")])
    }
}
