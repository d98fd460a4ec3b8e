import Testing
@testable import EventLabCore

@Suite("The client side of the group protocol")
struct GroupMemberMachineTests {
    let configuration = GroupMemberConfiguration(groupId: "g", clientId: "svc", topics: ["orders"], assignors: [RangeAssignor(), RoundRobinAssignor()])
    let p0 = TopicPartition("orders", 0)
    let p1 = TopicPartition("orders", 1)

    func joinResponse(_ memberId: String, generation: Int32 = 1, leader: String, members: [String] = [], protocolName: String = "range") -> JoinGroupResponse {
        let subscription = ConsumerProtocol.Subscription(topics: ["orders"]).encoded()
        return JoinGroupResponse(
            error: .none, generationId: generation, protocolName: protocolName, leaderId: leader, memberId: memberId,
            members: members.map { JoinGroupResponse.JoinedMember(memberId: $0, instanceId: nil, metadata: subscription) })
    }

    func synced(_ partitions: [TopicPartition]) -> GroupMemberMachine.Event {
        .synced(SyncGroupResponse(error: .none, assignment: ConsumerProtocol.Assignment(partitions: partitions).encoded()))
    }

    /// A follower that joined generation 1 and owns both partitions.
    func stableFollower() -> GroupMemberMachine {
        var machine = GroupMemberMachine(configuration)
        _ = machine.handle(.start)
        _ = machine.handle(.joined(joinResponse("m-1", leader: "m-0")))
        _ = machine.handle(synced([p1, p0]))
        return machine
    }

    func joinRequest(_ memberId: String) -> JoinGroupRequest {
        JoinGroupRequest(groupId: "g", memberId: memberId, clientId: "svc", protocols: configuration.protocols)
    }

    @Test("start sends a JoinGroup offering every assignor with the subscription")
    func start() {
        var machine = GroupMemberMachine(configuration)
        #expect(machine.handle(.start) == [.join(joinRequest(""))])
        #expect(machine.phase == .joining)
        #expect(joinRequest("").protocols.map(\.name) == ["range", "roundrobin"])
    }

    @Test("a follower syncs without assignments and owns what the sync hands it")
    func follower() {
        var machine = GroupMemberMachine(configuration)
        _ = machine.handle(.start)
        #expect(machine.handle(.joined(joinResponse("m-1", leader: "m-0"))) == [.sync(SyncGroupRequest(groupId: "g", generationId: 1, memberId: "m-1"))])
        #expect(machine.handle(synced([p1, p0])) == [.assigned([p0, p1])])
        #expect(machine.phase == .stable)
        #expect((machine.memberId, machine.generation, machine.protocolName) == ("m-1", 1, "range"))
    }

    @Test("a leader asks for partition counts, then syncs every member's share from the chosen assignor", arguments: ["range", "roundrobin"])
    func leader(protocolName: String) throws {
        var machine = GroupMemberMachine(configuration)
        _ = machine.handle(.start)
        let response = joinResponse("a", leader: "a", members: ["a", "b"], protocolName: protocolName)
        #expect(machine.handle(.joined(response)) == [.describeTopics(["orders"])])
        #expect(machine.phase == .assigning)
        let actions = machine.handle(.described(["orders": 3]))
        guard case .sync(let request) = try #require(actions.first) else { Issue.record("\(actions)"); return }
        let shares = try request.assignments.mapValues { try ConsumerProtocol.Assignment(decoding: $0).partitions.map(\.partition) }
        #expect(shares == (protocolName == "range" ? ["a": [0, 1], "b": [2]] : ["a": [0, 2], "b": [1]]))
        #expect(machine.phase == .syncing)
    }

    @Test("a static leader that rejoins a stable group gets no members and syncs without assigning")
    func staticLeaderRejoin() {
        var machine = GroupMemberMachine(configuration)
        _ = machine.handle(.start)
        #expect(machine.handle(.joined(joinResponse("a", leader: "a"))) == [.sync(SyncGroupRequest(groupId: "g", generationId: 1, memberId: "a"))])
    }

    @Test("MEMBER_ID_REQUIRED makes the member join again with the id it was given")
    func memberIdRequired() {
        var machine = GroupMemberMachine(configuration)
        _ = machine.handle(.start)
        let actions = machine.handle(.joined(.failed(.memberIdRequired, memberId: "m-7")))
        #expect(actions == [.join(joinRequest("m-7"))])
    }

    @Test("a heartbeat answered REBALANCE_IN_PROGRESS revokes the partitions, lets the owner commit, then rejoins with the member id")
    func rebalanceInProgress() {
        var machine = stableFollower()
        #expect(machine.handle(.heartbeatDue) == [.heartbeat(groupId: "g", memberId: "m-1", instanceId: nil, generationId: 1)])
        #expect(machine.handle(.heartbeatAnswered(.none)) == [])
        #expect(machine.handle(.heartbeatAnswered(.rebalanceInProgress)) == [.revoke([p0, p1])])
        #expect(machine.phase == .revoking)
        let offsets = [p0: CommittedOffset(offset: 4)]
        #expect(machine.handle(.commit(offsets)) == [.commit(groupId: "g", memberId: "m-1", generationId: 1, offsets: offsets)])
        #expect(machine.handle(.commitAnswered([p0: .none])) == [])
        #expect(machine.handle(.revoked) == [.join(joinRequest("m-1"))])
        #expect(machine.assignment.isEmpty)
    }

    @Test("a commit answered ILLEGAL_GENERATION loses the partitions, rejoins and is not sent again", arguments: [KafkaErrorCode.illegalGeneration, .unknownMemberId])
    func fencedCommit(error: KafkaErrorCode) {
        var machine = stableFollower()
        let offsets = [p0: CommittedOffset(offset: 9)]
        _ = machine.handle(.commit(offsets))
        let actions = machine.handle(.commitAnswered([p0: error]))
        // An unknown member starts over as a new one; a stale generation keeps its id.
        #expect(actions == [.lost([p0, p1]), .join(joinRequest(error == .unknownMemberId ? "" : "m-1"))])
        #expect(machine.handle(.commit(offsets)) == [.commitRefused([p0: .rebalanceInProgress])])
        _ = machine.handle(.joined(joinResponse("m-1", generation: 2, leader: "m-0")))
        #expect(machine.handle(.commit(offsets)) == [.commitRefused([p0: .rebalanceInProgress])])
        #expect(machine.handle(synced([p1])) == [.assigned([p1])])
        #expect(machine.generation == 2)
    }

    @Test("heartbeat answers that end the generation make the member rejoin; FENCED_INSTANCE_ID stops it")
    func heartbeatFencing() {
        var stale = stableFollower()
        #expect(stale.handle(.heartbeatAnswered(.illegalGeneration)) == [.lost([p0, p1]), .join(joinRequest("m-1"))])
        var unknown = stableFollower()
        #expect(unknown.handle(.heartbeatAnswered(.unknownMemberId)) == [.lost([p0, p1]), .join(joinRequest(""))])
        var fenced = stableFollower()
        #expect(fenced.handle(.heartbeatAnswered(.fencedInstanceId)) == [.lost([p0, p1]), .failed(.fencedInstanceId)])
        #expect(fenced.phase == .failed(.fencedInstanceId))
        #expect(fenced.handle(.heartbeatDue) == [])
    }

    @Test("a sync answered REBALANCE_IN_PROGRESS or UNKNOWN_MEMBER_ID rejoins; one it cannot recover from fails")
    func syncAnswers() {
        func syncing() -> GroupMemberMachine {
            var machine = GroupMemberMachine(configuration)
            _ = machine.handle(.start)
            _ = machine.handle(.joined(joinResponse("m-1", leader: "m-0")))
            return machine
        }
        var rebalancing = syncing()
        #expect(rebalancing.handle(.synced(SyncGroupResponse(error: .rebalanceInProgress, assignment: []))) == [.join(joinRequest("m-1"))])
        var unknown = syncing()
        #expect(unknown.handle(.synced(SyncGroupResponse(error: .unknownMemberId, assignment: []))) == [.join(joinRequest(""))])
        var broken = syncing()
        #expect(broken.handle(.synced(SyncGroupResponse(error: .none, assignment: [0, 0, 0]))) == [.failed(.inconsistentGroupProtocol)])
    }

    @Test("a join the coordinator refuses fails the member")
    func joinRefused() {
        var machine = GroupMemberMachine(configuration)
        _ = machine.handle(.start)
        #expect(machine.handle(.joined(.failed(.inconsistentGroupProtocol))) == [.failed(.inconsistentGroupProtocol)])
        #expect(machine.phase == .failed(.inconsistentGroupProtocol))
    }

    @Test("leave sends LeaveGroup once, only for a member the coordinator knows; a start after it joins as a new member")
    func leave() {
        var machine = stableFollower()
        #expect(machine.handle(.leave) == [.leave(groupId: "g", memberId: "m-1")])
        #expect(machine.handle(.leave) == [])
        #expect(machine.assignment.isEmpty)
        #expect(machine.handle(.start) == [.join(joinRequest(""))])
        var fresh = GroupMemberMachine(configuration)
        #expect(fresh.handle(.leave) == [])
    }

    @Test("a static member sends no LeaveGroup: its partitions wait for it until its session runs out")
    func staticLeave() {
        var configuration = configuration
        configuration.instanceId = "billing-1"
        var machine = GroupMemberMachine(configuration)
        _ = machine.handle(.start)
        _ = machine.handle(.joined(joinResponse("billing-1-x", leader: "m-0")))
        _ = machine.handle(synced([p0]))
        #expect(machine.handle(.leave) == [])
        #expect(machine.phase == .left)
    }

    @Test("answers that come in the wrong phase change nothing")
    func stray() {
        var machine = stableFollower()
        #expect(machine.handle(.joined(joinResponse("x", generation: 5, leader: "x"))) == [])
        #expect(machine.handle(synced([])) == [])
        #expect(machine.handle(.described(["orders": 1])) == [])
        #expect(machine.handle(.revoked) == [])
        #expect((machine.generation, machine.assignment) == (1, [p0, p1]))
    }
}
