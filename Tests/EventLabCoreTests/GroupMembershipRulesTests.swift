import Testing
@testable import EventLabCore

@Suite("Group membership rules: static members, MEMBER_ID_REQUIRED, the initial rebalance delay")
struct GroupMembershipRulesTests {
    /// Two static members, "a" (the leader) and "b", stable in generation 2 with partitions 1 and 2.
    func stablePair() throws -> (CoordinatorHarness, a: String, b: String) {
        var harness = CoordinatorHarness()
        let a = try #require(harness.joins[harness.join(instance: "a")]).memberId
        let bTicket = harness.join(instance: "b")
        _ = harness.join(a, instance: "a")
        let b = try #require(harness.joins[bTicket]).memberId
        let bSync = harness.sync(b, generation: 2, instance: "b")
        _ = harness.sync(a, generation: 2, assignments: [a: [1], b: [2]], instance: "a")
        #expect(harness.syncs[bSync]?.assignment == [2])
        #expect(harness.group.state == .stable)
        return (harness, a, b)
    }

    @Test("a static member that restarts gets its old assignment at once, with no rebalance for the others")
    func staticRejoin() throws {
        var (harness, a, b) = try stablePair()
        let rejoin = try #require(harness.joins[harness.join(instance: "b")])
        #expect(rejoin.error == .none)
        #expect(rejoin.generationId == 2)
        #expect(rejoin.memberId != b && rejoin.memberId.hasPrefix("b-"))
        #expect(rejoin.leaderId == a && rejoin.members.isEmpty)
        #expect(harness.group.state == .stable && harness.group.generation == 2)
        #expect(harness.group.members.map(\.id) == [a, rejoin.memberId])
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: a, instanceId: "a", generationId: 2, now: harness.now) == .none)
        #expect(harness.syncs[harness.sync(rejoin.memberId, generation: 2, instance: "b")] == SyncGroupResponse(error: .none, assignment: [2]))
    }

    @Test("the id a static member had before it restarted is fenced with FENCED_INSTANCE_ID")
    func oldIdFenced() throws {
        var (harness, _, b) = try stablePair()
        _ = harness.join(instance: "b")
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: b, instanceId: "b", generationId: 2, now: harness.now) == .fencedInstanceId)
        #expect(harness.syncs[harness.sync(b, generation: 2, instance: "b")]?.error == .fencedInstanceId)
        #expect(harness.joins[harness.join(b, instance: "b")]?.error == .fencedInstanceId)
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: b, generationId: 2, now: harness.now) == .unknownMemberId)
    }

    @Test("a restarted static leader keeps the leadership but is answered with the old leader id, so it does not assign again")
    func staticLeaderRejoin() throws {
        var (harness, a, _) = try stablePair()
        let rejoin = try #require(harness.joins[harness.join(instance: "a")])
        #expect(rejoin.leaderId == a && !rejoin.isLeader)
        #expect(harness.group.leaderId == rejoin.memberId)
        #expect(harness.syncs[harness.sync(rejoin.memberId, generation: 2, instance: "a")]?.assignment == [1])
    }

    @Test("a restarted static member whose protocols do not fit the group is refused and the old member keeps its place")
    func staticRejoinRefused() throws {
        var (harness, _, b) = try stablePair()
        #expect(harness.joins[harness.join(protocols: ["roundrobin"], instance: "b")]?.error == .inconsistentGroupProtocol)
        #expect(harness.coordinator.heartbeat(groupId: "g", memberId: b, instanceId: "b", generationId: 2, now: harness.now) == .none)
        #expect(harness.group.state == .stable)
    }

    @Test("a dynamic member that restarts is a new member: the group rebalances and waits for the old one")
    func dynamicRestartRebalances() throws {
        var harness = CoordinatorHarness()
        let first = try #require(harness.joins[harness.join()]).memberId
        _ = harness.sync(first, generation: 1, assignments: [first: [1]])
        let restarted = harness.join()
        #expect(harness.joins[restarted] == nil)
        #expect(harness.group.state == .preparingRebalance)
        #expect(harness.group.members.count == 2)
    }

    @Test("JoinGroup v4+ without a member id gets MEMBER_ID_REQUIRED with its id, and joins with it; a static member does not")
    func memberIdRequired() throws {
        var harness = CoordinatorHarness()
        let first = try #require(harness.joins[harness.join(client: "py", requiresKnownId: true)])
        #expect(first.error == .memberIdRequired)
        #expect(first.memberId.hasPrefix("py-"))
        #expect(harness.group.members.isEmpty)
        let joined = try #require(harness.joins[harness.join(first.memberId, requiresKnownId: true)])
        #expect(joined.error == .none && joined.memberId == first.memberId && joined.generationId == 1)
        #expect(harness.joins[harness.join("made-up", requiresKnownId: true)]?.error == .unknownMemberId)
        var statics = CoordinatorHarness()
        #expect(statics.joins[statics.join(instance: "s", requiresKnownId: true)]?.error == KafkaErrorCode.none)
    }

    @Test("an id given with MEMBER_ID_REQUIRED lapses after the session timeout, and the group it made is forgotten")
    func pendingIdLapses() throws {
        var harness = CoordinatorHarness()
        let id = try #require(harness.joins[harness.join(session: 10_000, requiresKnownId: true)]).memberId
        #expect(harness.coordinator.nextDeadline == 10_000)
        harness.tick(after: 10_000)
        #expect(harness.coordinator.groups.isEmpty)
        #expect(harness.joins[harness.join(id, requiresKnownId: true)]?.error == .unknownMemberId)
    }

    @Test("the first rebalance of an empty group waits the initial delay, put off by each new member up to the rebalance timeout")
    func initialDelay() throws {
        var harness = CoordinatorHarness()
        let first = harness.join(rebalance: 8_000, delay: 3_000)
        #expect(harness.coordinator.nextDeadline == 3_000)
        harness.tick(after: 2_000)
        #expect(harness.joins[first] == nil)
        let second = harness.join(rebalance: 8_000, delay: 3_000)
        harness.tick(after: 2_999)
        #expect(harness.joins[first] == nil && harness.joins[second] == nil)
        harness.tick(after: 1)
        #expect(harness.joins[first]?.generationId == 1 && harness.joins[second]?.generationId == 1)
        #expect(harness.joins[first]?.members.count == 2)
        let leader = try #require(harness.joins[first]).memberId
        _ = harness.sync(leader, generation: 1)
        let third = harness.join(rebalance: 8_000, delay: 3_000)
        let rejoins = [harness.join(leader, rebalance: 8_000, delay: 3_000), harness.join(try #require(harness.joins[second]).memberId, rebalance: 8_000, delay: 3_000)]
        #expect(([third] + rejoins).allSatisfy { harness.joins[$0]?.generationId == 2 })
    }

    @Test("with no delay (the REPL's members, the logical clock) the first rebalance starts at once")
    func noInitialDelay() {
        var harness = CoordinatorHarness()
        #expect(harness.joins[harness.join(delay: 0)]?.generationId == 1)
    }

    @Test("a group whose last member left is Empty and keeps its protocol type")
    func emptyKeepsProtocolType() throws {
        var harness = CoordinatorHarness()
        let member = try #require(harness.joins[harness.join()]).memberId
        _ = harness.sync(member, generation: 1)
        _ = harness.coordinator.commit(groupId: "g", memberId: member, generationId: 1, offsets: [TopicPartition("t", 0): CommittedOffset(offset: 1)])
        _ = harness.coordinator.leave(groupId: "g", memberId: member, now: 0)
        #expect(harness.group.state == .empty)
        #expect(harness.group.protocolType == "consumer")
        #expect(harness.group.protocolName == nil)
    }
}
