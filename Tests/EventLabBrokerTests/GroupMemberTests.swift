import Foundation
import Testing
@testable import EventLabCore
import EventLabTestSupport

/// Records what a driven member's owner is told, and commits what it read when a rebalance
/// takes its partitions.
final class Owner {
    var assigned: [[TopicPartition]] = []
    var lost: [[TopicPartition]] = []
    var positions: [TopicPartition: Int64] = [:]

    var handlers: GroupMember.Handlers {
        GroupMember.Handlers(
            assigned: { self.assigned.append($0) },
            revoked: { partitions in
                Dictionary(uniqueKeysWithValues: partitions.compactMap { partition in self.positions[partition].map { (partition, CommittedOffset(offset: $0)) } })
            },
            lost: { self.lost.append($0) })
    }
}

@Suite("Group members driven against the broker")
struct GroupMemberTests {
    func member(
        _ broker: Broker, _ clientId: String, assignor: any PartitionAssignor = RangeAssignor(), instanceId: String? = nil, owner: Owner = Owner()
    ) -> GroupMember {
        GroupMember(
            broker: broker,
            configuration: GroupMemberConfiguration(groupId: "g", clientId: clientId, topics: ["orders"], assignors: [assignor], instanceId: instanceId),
            handlers: owner.handlers)
    }

    func orders(_ backend: Backend, partitions: Int = 3, timer: ManualTimer = ManualTimer()) throws -> Broker {
        let (broker, _) = makeBroker(backend, timer: timer)
        try broker.createTopic("orders", partitions: partitions)
        return broker
    }

    @Test("a second member's join parks; the first notices the rebalance by its heartbeat, commits what it read, rejoins, and they share the partitions",
          arguments: Backend.allCases, ["range", "roundrobin"])
    func twoMembersShare(backend: Backend, assignorName: String) throws {
        let broker = try orders(backend, partitions: 5)
        let assignor: any PartitionAssignor = assignorName == "range" ? RangeAssignor() : RoundRobinAssignor()
        let firstOwner = Owner()
        let first = member(broker, "a", assignor: assignor, owner: firstOwner)
        first.start()
        #expect(first.assignment.map(\.partition) == [0, 1, 2, 3, 4])
        firstOwner.positions = [TopicPartition("orders", 3): 7]

        let second = member(broker, "b", assignor: assignor)
        second.start()
        #expect(second.machine.phase == .joining)
        first.heartbeat()
        second.poll()
        #expect(first.machine.isStable && second.machine.isStable)
        #expect(first.generation == 2 && second.generation == 2)
        let shares = [first.assignment.map(\.partition), second.assignment.map(\.partition)]
        #expect(shares == (assignorName == "range" ? [[0, 1, 2], [3, 4]] : [[0, 2, 4], [1, 3]]))
        #expect(firstOwner.assigned.map { $0.map(\.partition) } == [[0, 1, 2, 3, 4], shares[0]])
        #expect(broker.committedOffsets(groupId: "g").mapValues(\.offset) == [TopicPartition("orders", 3): 7])
        let description = try broker.describeGroup("g")
        #expect(description.state == .stable)
        #expect(description.protocolName == assignorName)
        #expect(Set(description.members.map(\.assignment)) == Set([first.assignment, second.assignment]))
    }

    @Test("a member whose heartbeat says REBALANCE_IN_PROGRESS rejoins with its id; a commit while it rebalances is refused, not sent", arguments: Backend.allCases)
    func rebalanceInProgressRejoins(backend: Backend) throws {
        let broker = try orders(backend)
        let first = member(broker, "a")
        let quiet = member(broker, "b")
        first.start()
        quiet.start()
        try GroupMember.settle([first, quiet])
        let id = first.memberId
        let third = member(broker, "c")
        third.start()
        first.heartbeat()
        // The quiet member has not heartbeaten yet: the rebalance waits for it.
        #expect(first.machine.phase == .joining)
        #expect(first.assignment.isEmpty)
        let partition = TopicPartition("orders", 0)
        #expect(first.commit([partition: CommittedOffset(offset: 3)]) == [partition: .rebalanceInProgress])
        #expect(broker.committedOffsets(groupId: "g").isEmpty)
        try GroupMember.settle([first, quiet, third])
        #expect(first.memberId == id)
        #expect([first, quiet, third].map(\.generation) == [3, 3, 3])
        #expect([first, quiet, third].map { $0.assignment.map(\.partition) } == [[0], [1], [2]])
    }

    @Test("a member fenced while away (its session ran out) loses its partitions, rejoins as a new member, and does not commit stale offsets", arguments: Backend.allCases)
    func fencedMemberRejoins(backend: Backend) throws {
        let timer = ManualTimer()
        let broker = try orders(backend, timer: timer)
        let owner = Owner()
        let first = member(broker, "a", owner: owner)
        first.start()
        let oldId = first.memberId
        timer.advance(45_001)
        broker.scheduler.runDue(.real)
        #expect(try broker.describeGroup("g").members.isEmpty)

        let partition = TopicPartition("orders", 1)
        let fenced = first.commit([partition: CommittedOffset(offset: 5)])[partition]
        #expect(fenced == .unknownMemberId || fenced == .illegalGeneration)
        #expect(owner.lost.map { $0.map(\.partition) } == [[0, 1, 2]])
        // Alone in its group again, the member's new join is answered at once.
        #expect(first.machine.isStable)
        #expect(first.memberId != oldId)
        #expect(broker.committedOffsets(groupId: "g").isEmpty)
        #expect(first.commit([partition: CommittedOffset(offset: 6)]) == [partition: .none])
        #expect(broker.committedOffsets(groupId: "g").mapValues(\.offset) == [partition: 6])
    }

    @Test("a member that leaves hands its partitions to the one that stays", arguments: Backend.allCases)
    func leaveHandsOver(backend: Backend) throws {
        let broker = try orders(backend, partitions: 4)
        let first = member(broker, "a")
        let second = member(broker, "b")
        first.start()
        second.start()
        try GroupMember.settle([first, second])
        #expect(first.assignment.count == 2 && second.assignment.count == 2)
        second.leave()
        #expect(second.machine.phase == .left)
        #expect(second.assignment.isEmpty)
        first.heartbeat()
        #expect(first.machine.isStable)
        #expect(first.assignment.map(\.partition) == [0, 1, 2, 3])
        #expect(try broker.describeGroup("g").members.map(\.memberId) == [first.memberId])
    }

    @Test("a static member that restarts takes its old partitions back without a rebalance, and the old process is fenced", arguments: Backend.allCases)
    func staticMembership(backend: Backend) throws {
        let broker = try orders(backend, partitions: 4)
        let first = member(broker, "a", instanceId: "billing-1")
        let second = member(broker, "b")
        first.start()
        second.start()
        try GroupMember.settle([first, second])
        let owned = first.assignment

        let restarted = member(broker, "a", instanceId: "billing-1")
        restarted.start()
        #expect(restarted.machine.isStable)
        #expect(restarted.assignment == owned)
        #expect(restarted.generation == first.generation)
        #expect(restarted.memberId != first.memberId)
        second.heartbeat()
        #expect(second.machine.isStable && second.generation == restarted.generation)

        first.heartbeat()
        #expect(first.machine.phase == .failed(.fencedInstanceId))
        #expect(first.assignment.isEmpty)
    }

    @Test("members that start together wait out the initial rebalance delay on the real-time schedule, then share", arguments: Backend.allCases)
    func initialDelay(backend: Backend) throws {
        let timer = ManualTimer()
        let broker = try orders(backend, partitions: 2, timer: timer)
        let members = ["a", "b"].map { name in
            GroupMember(broker: broker, configuration: GroupMemberConfiguration(
                groupId: "g", clientId: name, topics: ["orders"], initialRebalanceDelayMs: 3_000))
        }
        members.forEach { $0.start() }
        members.forEach { $0.poll() }
        #expect(members.allSatisfy { $0.machine.phase == .joining })
        timer.advance(3_000)
        broker.scheduler.runDue(.real)
        try GroupMember.settle(members)
        #expect(members.map { $0.assignment.map(\.partition) } == [[0], [1]])
        #expect(members.allSatisfy { $0.generation == 1 })
    }

    @Test("a parked answer that arrives on another thread wakes a member waiting for its assignment", arguments: Backend.allCases)
    func awaitAcrossThreads(backend: Backend) throws {
        let broker = try orders(backend)
        let first = try GroupMember.joined(broker, group: "g", topics: ["orders"])
        let firstId = first.memberId
        let second = member(broker, "b")
        second.start()
        #expect(second.machine.phase == .joining)
        // The first member leaves from another thread: the rebalance completes there. A
        // thread of its own, because the member's wait blocks its thread.
        let leaver = Thread { broker.leaveGroup(groupId: "g", memberId: firstId) }
        leaver.start()
        try second.awaitAssignment()
        #expect(second.assignment.map(\.partition) == [0, 1, 2])
        #expect(second.generation == 2)
    }
}
