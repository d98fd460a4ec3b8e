import Foundation
import Synchronization
import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("Consumer groups on the broker")
struct BrokerGroupTests {
    func brokerWithOrders(_ backend: Backend) throws -> Broker {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 2)
        try broker.publish("orders", (0..<5).map { ProducerRecord(key: nil, value: "v\($0)") }, unkeyed: .roundRobin)
        return broker
    }

    @Test("a simulated member joins, is assigned every partition, commits and shows lag", arguments: Backend.allCases)
    func describeWithLag(backend: Backend) throws {
        let broker = try brokerWithOrders(backend)
        let member = try GroupMember.joined(broker, group: "billing", topics: ["orders"])
        let errors = broker.commitOffsets(groupId: "billing", memberId: member.memberId, generationId: member.generation,
                                          offsets: [TopicPartition("orders", 0): CommittedOffset(offset: 1)])
        #expect(errors.values.allSatisfy { $0 == .none })
        let description = try broker.describeGroup("billing")
        #expect(description.state == .stable)
        #expect(description.members.map(\.assignment) == [[TopicPartition("orders", 0), TopicPartition("orders", 1)]])
        #expect(description.partitions.map(\.committedOffset) == [1, nil])
        #expect(description.partitions.map(\.logEndOffset) == [3, 2])
        #expect(description.partitions.map(\.lag) == [2, nil])
        #expect(description.partitions.map(\.memberId) == [member.memberId, member.memberId])
        #expect(description.totalLag == 2)
    }

    @Test("commits on a topic or partition that does not exist get UNKNOWN_TOPIC_OR_PARTITION", arguments: Backend.allCases)
    func commitUnknownTopic(backend: Backend) throws {
        let broker = try brokerWithOrders(backend)
        let result = broker.commitOffsets(groupId: "g", offsets: [
            TopicPartition("nope", 0): CommittedOffset(offset: 1), TopicPartition("orders", 9): CommittedOffset(offset: 1),
            TopicPartition("orders", 0): CommittedOffset(offset: 1),
        ])
        #expect(result[TopicPartition("nope", 0)] == .unknownTopicOrPartition)
        #expect(result[TopicPartition("orders", 9)] == .unknownTopicOrPartition)
        #expect(broker.committedOffsets(groupId: "g") == [TopicPartition("orders", 0): CommittedOffset(offset: 1, commitTimestamp: broker.clock.now())])
    }

    @Test("a reset dry run changes nothing; --execute moves the offsets, clamped to the log", arguments: Backend.allCases)
    func resetDryRunThenExecute(backend: Backend) throws {
        let broker = try brokerWithOrders(backend)
        _ = broker.commitOffsets(groupId: "billing", offsets: [
            TopicPartition("orders", 0): CommittedOffset(offset: 3), TopicPartition("orders", 1): CommittedOffset(offset: 1),
        ])
        let plan = try broker.resetOffsets(groupId: "billing", scope: .topics([TopicSelection("orders")]), to: .shift(-2), execute: false)
        #expect(plan.map(\.newOffset) == [1, 0])
        #expect(broker.committedOffsets(groupId: "billing")[TopicPartition("orders", 0)]?.offset == 3)
        _ = try broker.resetOffsets(groupId: "billing", scope: .topics([TopicSelection("orders")]), to: .shift(-2), execute: true)
        #expect(broker.committedOffsets(groupId: "billing").mapValues(\.offset) == [TopicPartition("orders", 0): 1, TopicPartition("orders", 1): 0])
        _ = try broker.resetOffsets(groupId: "billing", scope: .allTopics, to: .latest, execute: true)
        #expect(try broker.describeGroup("billing").totalLag == 0)
        _ = try broker.resetOffsets(groupId: "billing", scope: .allTopics, to: .offset(100), execute: true)
        #expect(broker.committedOffsets(groupId: "billing").mapValues(\.offset) == [TopicPartition("orders", 0): 3, TopicPartition("orders", 1): 2])
        _ = try broker.resetOffsets(groupId: "billing", scope: .allTopics, to: .earliest, execute: true)
        #expect(try broker.describeGroup("billing").totalLag == 5)
    }

    @Test("a reset by time moves to the first record at or after it", arguments: Backend.allCases)
    func resetByTime(backend: Backend) throws {
        let (broker, clock) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        for index in 0..<4 {
            try broker.publishEach("t", [(nil, "v\(index)")])
            try clock.advance(by: 1000)
        }
        _ = broker.commitOffsets(groupId: "g", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 4)])
        let plan = try broker.resetOffsets(groupId: "g", scope: .allTopics, to: .time(LogicalClock.start + 1500), execute: true)
        #expect(plan == [OffsetReset(topicPartition: TopicPartition("t", 0), previousOffset: 4, requestedOffset: 2, newOffset: 2)])
    }

    @Test("resetting a group with members fails with Kafka's sentence and changes nothing", arguments: Backend.allCases)
    func resetErrors(backend: Backend) throws {
        let broker = try brokerWithOrders(backend)
        _ = try GroupMember.joined(broker, group: "busy", topics: ["orders"])
        let busy = brokerError { _ = try broker.resetOffsets(groupId: "busy", scope: .allTopics, to: .earliest, execute: true) }
        #expect(busy?.code == .nonEmptyGroup)
        #expect(busy?.message.hasPrefix("Assignments can only be reset if the group 'busy' is inactive, but the current state is Stable") == true)
        let named = brokerError { _ = try broker.resetOffsets(groupId: "busy", scope: .topics([TopicSelection("orders")]), to: .earliest, execute: false) }
        #expect(named?.code == .nonEmptyGroup)
        #expect(broker.committedOffsets(groupId: "busy").isEmpty)
    }

    @Test("a group that empties keeps its offsets and generation; one with no offsets is forgotten", arguments: Backend.allCases)
    func emptyGroups(backend: Backend) throws {
        let broker = try brokerWithOrders(backend)
        let first = try GroupMember.joined(broker, group: "g", topics: ["orders"])
        _ = broker.commitOffsets(groupId: "g", memberId: first.memberId, generationId: first.generation,
                                 offsets: [TopicPartition("orders", 0): CommittedOffset(offset: 2)])
        broker.leaveGroup(groupId: "g", memberId: first.memberId)
        #expect(try broker.describeGroup("g").state == .empty)
        let second = try GroupMember.joined(broker, group: "g", topics: ["orders"])
        #expect(second.generation == 3)
        let passing = try GroupMember.joined(broker, group: "passing", topics: ["orders"])
        broker.leaveGroup(groupId: "passing", memberId: passing.memberId)
        #expect(broker.groups().map(\.groupId) == ["g"])
    }

    @Test("describing an unknown group names the groups that exist", arguments: Backend.allCases)
    func unknownGroup(backend: Backend) throws {
        let broker = try brokerWithOrders(backend)
        _ = broker.commitOffsets(groupId: "billing", offsets: [TopicPartition("orders", 0): CommittedOffset(offset: 0)])
        let error = brokerError { _ = try broker.describeGroup("biling") }
        #expect(error?.message == "group 'biling' does not exist; groups: billing")
    }

    @Test("a parked join is answered when the other member rejoins, on another thread", arguments: Backend.allCases)
    func parkedJoinAcrossThreads(backend: Backend) async throws {
        let broker = try brokerWithOrders(backend)
        let first = try GroupMember.joined(broker, group: "g", topics: ["orders"])
        let answered = Mutex<JoinGroupResponse?>(nil)
        broker.joinGroup(JoinGroupRequest(groupId: "g", clientId: "late", protocols: [GroupProtocol(name: "range", metadata: ConsumerProtocol.Subscription(topics: ["orders"]).encoded())])) { response in
            answered.withLock { $0 = response }
        }
        #expect(answered.withLock { $0 } == nil)
        #expect(broker.heartbeat(groupId: "g", memberId: first.memberId, generationId: first.generation) == .rebalanceInProgress)
        let firstId = first.memberId
        await Task.detached {
            broker.joinGroup(JoinGroupRequest(groupId: "g", memberId: firstId, clientId: "eventlab", protocols: [GroupProtocol(name: "range", metadata: [])])) { _ in }
        }.value
        #expect(answered.withLock { $0 }?.generationId == first.generation + 1)
    }

    @Test("the first rebalance of a network clients' group waits its initial delay on the broker's real-time schedule", arguments: Backend.allCases)
    func initialRebalanceDelayOnRealTime(backend: Backend) throws {
        let timer = ManualTimer()
        let (broker, _) = makeBroker(backend, timer: timer)
        try broker.createTopic("orders", partitions: 1)
        let answered = Mutex<JoinGroupResponse?>(nil)
        let subscription = ConsumerProtocol.Subscription(topics: ["orders"]).encoded()
        broker.joinGroup(JoinGroupRequest(
            groupId: "g", clientId: "client", protocols: [GroupProtocol(name: "range", metadata: subscription)],
            initialRebalanceDelayMs: 3_000)) { response in answered.withLock { $0 = response } }
        #expect(broker.scheduler.pending(.real).map(\.due) == [3_000])
        timer.advance(2_999)
        broker.scheduler.runDue(.real)
        #expect(answered.withLock { $0 } == nil)
        timer.advance(1)
        broker.scheduler.runDue(.real)
        #expect(answered.withLock { $0 }?.generationId == 1)
    }

    @Test("members expire on the broker's own real-time schedule, with no server, whatever the broker clock", arguments: Backend.allCases)
    func sessionsExpireOnRealTime(backend: Backend) throws {
        let timer = ManualTimer()
        let (broker, _) = makeBroker(backend, timer: timer)
        try broker.createTopic("orders", partitions: 1)
        let member = try GroupMember.joined(broker, group: "g", topics: ["orders"])
        #expect(broker.scheduler.pending(.real).map(\.due) == [45_001])
        timer.advance(30_000)
        #expect(broker.heartbeat(groupId: "g", memberId: member.memberId, generationId: member.generation) == .none)
        timer.advance(15_001)
        broker.scheduler.runDue(.real)
        #expect(try broker.describeGroup("g").members.map(\.memberId) == [member.memberId])
        #expect(broker.scheduler.pending(.real).map(\.due) == [75_001])
        timer.advance(30_000)
        broker.scheduler.runDue(.real)
        #expect(try broker.describeGroup("g").members.isEmpty == true)
        #expect(broker.scheduler.pending(.real).isEmpty)
    }
}

@Suite("Waiting for data")
struct WaiterTests {
    @Test("a data waiter fires once when the partition grows past its offset", arguments: Backend.allCases)
    func callbackFires(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 2)
        let count = Atomic(0)
        try broker.whenData("t", partition: 0, beyond: 0) { count.add(1, ordering: .relaxed) }
        _ = try broker.publish("t", [ProducerRecord(key: nil, value: "x", partition: 1)])
        let before = count.load(ordering: .relaxed)
        #expect(before == 0)
        _ = try broker.publish("t", [ProducerRecord(key: nil, value: "x", partition: 0)])
        _ = try broker.publish("t", [ProducerRecord(key: nil, value: "y", partition: 0)])
        let after = count.load(ordering: .relaxed)
        #expect(after == 1)
    }

    @Test("a waiter on data that is already there fires at once; a cancelled one never", arguments: Backend.allCases)
    func immediateAndCancelled(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        try broker.publishEach("t", [(nil, "a")])
        let count = Atomic(0)
        try broker.whenData("t", partition: 0, beyond: 0) { count.add(1, ordering: .relaxed) }
        let id = try broker.whenData("t", partition: 0, beyond: 5) { count.add(10, ordering: .relaxed) }
        broker.cancelWaiter(id)
        try broker.publishEach("t", (0..<6).map { (nil, "\($0)") })
        let after = count.load(ordering: .relaxed)
        #expect(after == 1)
    }

    @Test("deleting a topic wakes its waiters", arguments: Backend.allCases)
    func deleteWakes(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        let woken = Atomic(false)
        try broker.whenData("t", partition: 0, beyond: 0) { woken.store(true, ordering: .relaxed) }
        try broker.deleteTopic("t")
        let wasWoken = woken.load(ordering: .relaxed)
        #expect(wasWoken)
    }

    @Test("a blocking wait returns when another thread publishes", arguments: Backend.allCases)
    func blockingWait(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        // A thread of its own: a blocking wait must not hold one of the few concurrency threads.
        let result = Mutex<Bool?>(nil)
        let done = DispatchSemaphore(value: 0)
        let waiter = Thread {
            result.withLock { $0 = try? broker.waitForData("t", partition: 0, beyond: 0, timeoutMs: 10_000) }
            done.signal()
        }
        waiter.start()
        Thread.sleep(forTimeInterval: 0.05)
        try broker.publishEach("t", [(nil, "x")])
        done.wait()
        #expect(result.withLock { $0 } == true)
    }

    @Test("a blocking wait ends when its deadline passes on the scheduler's real time", arguments: Backend.allCases)
    func blockingWaitTimesOut(backend: Backend) throws {
        let timer = ManualTimer()
        let (broker, _) = makeBroker(backend, timer: timer)
        try broker.createTopic("t", partitions: 1)
        let result = Mutex<Bool?>(nil)
        let done = DispatchSemaphore(value: 0)
        let waiter = Thread {
            let answer = try? broker.waitForData("t", partition: 0, beyond: 0, timeoutMs: 60_000)
            result.withLock { $0 = answer }
            done.signal()
        }
        waiter.start()
        while !broker.scheduler.pending(.real).contains(where: { $0.label == "wait for data" }) { Thread.sleep(forTimeInterval: 0.001) }
        timer.advance(59_999)
        broker.scheduler.runDue(.real)
        #expect(result.withLock { $0 } == nil)
        timer.advance(1)
        broker.scheduler.runDue(.real)
        done.wait()
        #expect(result.withLock { $0 } == false)
        #expect(broker.scheduler.pending(.real).isEmpty)
    }

    @Test("a blocking wait ends when an interrupt posts its wake-up, and at once when already interrupted", arguments: Backend.allCases)
    func blockingWaitInterrupted(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        #expect(try broker.waitForData("t", partition: 0, beyond: 0, timeoutMs: .max, isInterrupted: { true }) == false)
        let wakeup = Wakeup()
        let interrupted = Atomic(false)
        let result = Mutex<Bool?>(nil)
        let done = DispatchSemaphore(value: 0)
        let waiter = Thread {
            let answer = try? broker.waitForData("t", partition: 0, beyond: 0, timeoutMs: .max, wakeup: wakeup) {
                interrupted.load(ordering: .acquiring)
            }
            result.withLock { $0 = answer }
            done.signal()
        }
        waiter.start()
        // A wake-up without an interrupt is only a look: the wait goes on.
        wakeup.signal()
        interrupted.store(true, ordering: .releasing)
        wakeup.signal()
        done.wait()
        #expect(result.withLock { $0 } == false)
    }

    @Test("a group waiter fires when the group commits", arguments: Backend.allCases)
    func groupWaiter(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 1)
        let fired = Atomic(false)
        broker.whenGroupChanges("g") { fired.store(true, ordering: .relaxed) }
        _ = broker.commitOffsets(groupId: "g", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 0)])
        let didFire = fired.load(ordering: .relaxed)
        #expect(didFire)
    }
}
