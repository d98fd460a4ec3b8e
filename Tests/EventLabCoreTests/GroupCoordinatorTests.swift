import Testing
@testable import EventLabCore
import EventLabTestSupport

/// Drives a coordinator directly and collects its replies by ticket.
struct CoordinatorHarness {
    var coordinator = GroupCoordinator(ids: SeededIdSource(seed: 3))
    var now: Int64 = 0
    var joins: [UInt64: JoinGroupResponse] = [:]
    var syncs: [UInt64: SyncGroupResponse] = [:]
    var nextTicket: UInt64 = 0

    mutating func collect(_ replies: [GroupReply]) {
        for reply in replies {
            switch reply {
            case .join(let ticket, let response): joins[ticket.rawValue] = response
            case .sync(let ticket, let response): syncs[ticket.rawValue] = response
            }
        }
    }

    /// Sends a join; returns its ticket number.
    mutating func join(
        _ memberId: String = "", client: String = "c", protocols: [String] = ["range"], session: Int32 = 10_000, rebalance: Int32 = 30_000,
        type: String = "consumer", instance: String? = nil, requiresKnownId: Bool = false, delay: Int32 = 0
    ) -> UInt64 {
        nextTicket += 1
        let request = JoinGroupRequest(
            groupId: "g", memberId: memberId, clientId: client, sessionTimeoutMs: session, rebalanceTimeoutMs: rebalance,
            protocolType: type, protocols: protocols.map { GroupProtocol(name: $0, metadata: Array($0.utf8)) },
            instanceId: instance, requiresKnownMemberId: requiresKnownId, initialRebalanceDelayMs: delay)
        collect(coordinator.join(request, ticket: ReplyTicket(nextTicket), now: now))
        return nextTicket
    }

    mutating func sync(_ memberId: String, generation: Int32, assignments: [String: [UInt8]] = [:], instance: String? = nil) -> UInt64 {
        nextTicket += 1
        let request = SyncGroupRequest(groupId: "g", generationId: generation, memberId: memberId, assignments: assignments, instanceId: instance)
        collect(coordinator.sync(request, ticket: ReplyTicket(nextTicket), now: now))
        return nextTicket
    }

    mutating func tick(after milliseconds: Int64) {
        now += milliseconds
        collect(coordinator.tick(now: now))
    }

    var group: ConsumerGroup { coordinator.groups["g"]! }
}

@Suite("Group coordinator")
struct GroupCoordinatorTests {
    @Test("a lone member joins at once as leader of generation 1 and gets its own metadata")
    func loneMember() throws {
        var harness = CoordinatorHarness()
        let ticket = harness.join(client: "billing")
        let response = try #require(harness.joins[ticket])
        #expect(response.error == .none)
        #expect(response.generationId == 1)
        #expect(response.isLeader)
        #expect(response.memberId.hasPrefix("billing-"))
        #expect(response.members.map(\.memberId) == [response.memberId])
        #expect(response.protocolName == "range")
        #expect(harness.group.state == .completingRebalance)
    }

    @Test("member ids come from the injected source, so two runs give the same ids")
    func reproducibleIds() {
        var first = CoordinatorHarness()
        var second = CoordinatorHarness()
        #expect(first.joins[first.join()]?.memberId == second.joins[second.join()]?.memberId)
    }

    @Test("the leader's sync hands every member its assignment and the group becomes stable")
    func syncRelaysAssignments() throws {
        var harness = CoordinatorHarness()
        let leader = try #require(harness.joins[harness.join()]).memberId
        let syncTicket = harness.sync(leader, generation: 1, assignments: [leader: [1, 2, 3]])
        #expect(harness.syncs[syncTicket] == SyncGroupResponse(error: .none, assignment: [1, 2, 3]))
        #expect(harness.group.state == .stable)
    }

    @Test("a second member waits until the first rejoins; then only the leader gets the member list")
    func secondMemberRebalances() throws {
        var harness = CoordinatorHarness()
        let first = try #require(harness.joins[harness.join(client: "a")]).memberId
        _ = harness.sync(first, generation: 1, assignments: [first: [9]])
        let secondTicket = harness.join(client: "b")
        #expect(harness.joins[secondTicket] == nil)
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: first, generationId: 1, now: harness.now) == .rebalanceInProgress)
        let firstTicket = harness.join(first)
        let leaderResponse = try #require(harness.joins[firstTicket])
        let followerResponse = try #require(harness.joins[secondTicket])
        #expect(leaderResponse.generationId == 2 && followerResponse.generationId == 2)
        #expect(leaderResponse.isLeader && !followerResponse.isLeader)
        #expect(leaderResponse.members.count == 2)
        #expect(followerResponse.members.isEmpty)
        let followerSync = harness.sync(followerResponse.memberId, generation: 2)
        #expect(harness.syncs[followerSync] == nil)
        _ = harness.sync(first, generation: 2, assignments: [first: [1], followerResponse.memberId: [2]])
        #expect(harness.syncs[followerSync]?.assignment == [2])
    }

    @Test("the protocol is the leader's first choice that every member supports")
    func protocolSelection() throws {
        var harness = CoordinatorHarness()
        let first = try #require(harness.joins[harness.join(protocols: ["range", "roundrobin"])]).memberId
        let second = harness.join(protocols: ["roundrobin"])
        _ = harness.join(first, protocols: ["range", "roundrobin"])
        #expect(harness.joins[second]?.protocolName == "roundrobin")
    }

    @Test("a member with no protocol in common, or another protocol type, is refused with INCONSISTENT_GROUP_PROTOCOL")
    func inconsistentProtocols() {
        var harness = CoordinatorHarness()
        _ = harness.join(protocols: ["range"])
        #expect(harness.joins[harness.join(protocols: ["sticky"])]?.error == .inconsistentGroupProtocol)
        #expect(harness.joins[harness.join(type: "connect")]?.error == .inconsistentGroupProtocol)
        #expect(harness.group.members.count == 1)
    }

    @Test("joins with an empty group id, a bad session timeout or an unknown member id are refused")
    func badJoins() {
        var harness = CoordinatorHarness()
        let empty = harness.coordinator.join(JoinGroupRequest(groupId: "", clientId: "c", protocols: [GroupProtocol(name: "range", metadata: [])]), ticket: ReplyTicket(99), now: 0)
        #expect(empty == [.join(ReplyTicket(99), .failed(.invalidGroupId))])
        #expect(harness.joins[harness.join(session: 1000)]?.error == .invalidSessionTimeout)
        #expect(harness.joins[harness.join("ghost")]?.error == .unknownMemberId)
        #expect(harness.coordinator.groups.isEmpty)
    }

    @Test("heartbeats answer UNKNOWN_MEMBER_ID and ILLEGAL_GENERATION as Kafka does")
    func heartbeatErrors() throws {
        var harness = CoordinatorHarness()
        let member = try #require(harness.joins[harness.join()]).memberId
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: "ghost", generationId: 1, now: 0) == .unknownMemberId)
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: member, generationId: 7, now: 0) == .illegalGeneration)
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: member, generationId: 1, now: 0) == .none)
        #expect(harness.coordinator.heartbeat(groupId: "nope", memberId: member, generationId: 1, now: 0) == .unknownMemberId)
    }

    @Test("a member silent past its session timeout is removed and the rest rebalance")
    func sessionTimeout() throws {
        var harness = CoordinatorHarness()
        let first = try #require(harness.joins[harness.join(session: 10_000)]).memberId
        let secondTicket = harness.join(session: 10_000)
        let firstRejoin = harness.join(first, session: 10_000)
        let second = try #require(harness.joins[secondTicket]).memberId
        _ = harness.sync(first, generation: 2, assignments: [:])
        harness.tick(after: 6000)
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: second, generationId: 2, now: harness.now) == .none)
        harness.tick(after: 5000)
        #expect(harness.group.members.map(\.id) == [second])
        #expect(harness.group.state == .preparingRebalance)
        #expect(harness.joins[firstRejoin]?.generationId == 2)
        let rejoin = harness.join(second)
        #expect(harness.joins[rejoin]?.generationId == 3)
        #expect(harness.joins[rejoin]?.isLeader == true)
    }

    @Test("a rebalance that waits past the rebalance timeout goes on without the missing members")
    func rebalanceTimeout() throws {
        var harness = CoordinatorHarness()
        let first = try #require(harness.joins[harness.join(session: 60_000, rebalance: 20_000)]).memberId
        _ = harness.sync(first, generation: 1, assignments: [:])
        let second = harness.join(session: 60_000, rebalance: 20_000)
        harness.tick(after: 19_999)
        #expect(harness.joins[second] == nil)
        harness.tick(after: 1)
        #expect(harness.joins[second]?.generationId == 2)
        #expect(harness.joins[second]?.isLeader == true)
        #expect(harness.group.members.count == 1)
    }

    @Test("the last member leaving empties the group and bumps the generation")
    func leave() throws {
        var harness = CoordinatorHarness()
        let member = try #require(harness.joins[harness.join()]).memberId
        _ = harness.sync(member, generation: 1)
        _ = harness.coordinator.commit(groupId: "g", memberId: member, generationId: 1, offsets: [TopicPartition("t", 0): CommittedOffset(offset: 5)])
        #expect(harness.coordinator.leave(groupId: "g", memberId: member, now: 0).0 == .none)
        #expect(harness.group.state == .empty)
        #expect(harness.group.generation == 2)
        #expect(harness.coordinator.leave(groupId: "g", memberId: member, now: 0).0 == .unknownMemberId)
        #expect(harness.group.offsets[TopicPartition("t", 0)]?.offset == 5)
    }

    @Test("a follower waiting for its assignment is told REBALANCE_IN_PROGRESS when a new member joins")
    func syncInterruptedByJoin() throws {
        var harness = CoordinatorHarness()
        let first = try #require(harness.joins[harness.join()]).memberId
        let secondTicket = harness.join()
        _ = harness.join(first)
        let second = try #require(harness.joins[secondTicket]).memberId
        let waiting = harness.sync(second, generation: 2)
        _ = harness.join()
        #expect(harness.syncs[waiting]?.error == .rebalanceInProgress)
    }

    @Test("commits follow Kafka's rules: standalone only while empty, members only in their generation")
    func commitRules() throws {
        var harness = CoordinatorHarness()
        let partition = TopicPartition("t", 0)
        let offsets = [partition: CommittedOffset(offset: 3)]
        #expect(harness.coordinator.commit(groupId: "g", memberId: "", generationId: -1, offsets: offsets)[partition] == KafkaErrorCode.none)
        let member = try #require(harness.joins[harness.join()]).memberId
        #expect(harness.coordinator.commit(groupId: "g", memberId: "", generationId: -1, offsets: offsets)[partition] == .unknownMemberId)
        #expect(harness.coordinator.commit(groupId: "g", memberId: member, generationId: 1, offsets: offsets)[partition] == .rebalanceInProgress)
        _ = harness.sync(member, generation: 1, assignments: [:])
        #expect(harness.coordinator.commit(groupId: "g", memberId: member, generationId: 0, offsets: offsets)[partition] == .illegalGeneration)
        let later = [partition: CommittedOffset(offset: 8, metadata: "m")]
        #expect(harness.coordinator.commit(groupId: "g", memberId: member, generationId: 1, offsets: later)[partition] == KafkaErrorCode.none)
        #expect(harness.coordinator.committedOffsets(groupId: "g") == later)
        let huge = [partition: CommittedOffset(offset: 9, metadata: String(repeating: "x", count: 4097))]
        #expect(harness.coordinator.commit(groupId: "g", memberId: member, generationId: 1, offsets: huge)[partition] == .offsetMetadataTooLarge)
        #expect(harness.coordinator.committedOffsets(groupId: "g") == later)
        #expect(harness.coordinator.commit(groupId: "other", memberId: "x", generationId: 3, offsets: offsets)[partition] == .illegalGeneration)
    }
}
