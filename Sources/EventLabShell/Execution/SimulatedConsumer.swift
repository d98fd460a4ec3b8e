import EventLabCore
import Synchronization

/// A group member that EventLab plays itself: it joins through the broker's coordinator like
/// any Kafka client, computes the assignment when it leads, and gets its partitions.
struct SimulatedConsumer {
    let memberId: String
    let generation: Int32
    let partitions: [Int32]

    /// How long a join may wait for the group's other members to rejoin.
    static let rebalanceTimeoutMs: Int32 = 10_000

    /// Joins `group` for `topic`; calls `waiting` once if the join must wait for a rebalance,
    /// while the group's other members rejoin. A wait ends early when `isInterrupted` says so
    /// after `wakeup` is posted.
    static func join(
        _ broker: Broker, group: String, topic: String, wakeup: Wakeup = Wakeup(), isInterrupted: @escaping () -> Bool = { false },
        waiting: () -> Void = {}
    ) throws -> SimulatedConsumer {
        let assignor = RangeAssignor()
        let subscription = ConsumerProtocol.Subscription(topics: [topic]).encoded()
        let waits = Waits(broker: broker, timeoutMs: Int64(rebalanceTimeoutMs) + 1000, wakeup: wakeup, isInterrupted: isInterrupted)
        let joined = try waits.reply(waiting: waiting) { (reply: @escaping @Sendable (JoinGroupResponse) -> Void) in
            broker.joinGroup(JoinGroupRequest(
                groupId: group, clientId: "eventlab", sessionTimeoutMs: 45_000, rebalanceTimeoutMs: rebalanceTimeoutMs,
                protocols: [GroupProtocol(name: assignor.name, metadata: subscription)]), reply: reply)
        }
        guard joined.error == .none else { throw ShellError("joining group '\(group)' failed with \(joined.error.name)") }
        var assignments: [String: [UInt8]] = [:]
        if joined.isLeader {
            var subscriptions: [String: [String]] = [:]
            var counts: [String: Int32] = [:]
            for member in joined.members {
                let topics = (try? ConsumerProtocol.Subscription(decoding: member.metadata).topics) ?? []
                subscriptions[member.memberId] = topics
                for name in topics { counts[name] = (try? broker.describeTopic(name)).map { Int32($0.partitions.count) } }
            }
            assignments = assignor.assign(subscriptions: subscriptions, partitionCounts: counts)
                .mapValues { ConsumerProtocol.Assignment(partitions: $0).encoded() }
        }
        let synced = try waits.reply { (reply: @escaping @Sendable (SyncGroupResponse) -> Void) in
            broker.syncGroup(SyncGroupRequest(groupId: group, generationId: joined.generationId, memberId: joined.memberId, assignments: assignments), reply: reply)
        }
        guard synced.error == .none else {
            broker.leaveGroup(groupId: group, memberId: joined.memberId)
            throw ShellError("joining group '\(group)' failed at sync with \(synced.error.name)")
        }
        let assignment = try ConsumerProtocol.Assignment(decoding: synced.assignment)
        return SimulatedConsumer(
            memberId: joined.memberId, generation: joined.generationId,
            partitions: assignment.partitions.filter { $0.topic == topic }.map(\.partition).sorted())
    }
}

/// How the simulated consumer waits for a parked group reply: until it comes, the deadline
/// passes on the scheduler's real time, or an interrupt posts the wake-up.
private struct Waits {
    let broker: Broker
    let timeoutMs: Int64
    let wakeup: Wakeup
    let isInterrupted: () -> Bool

    /// Calls `start` with a reply callback and waits for the reply; a reply that does not come
    /// is cancelled.
    func reply<Reply: Sendable>(
        waiting: () -> Void = {}, _ start: (@escaping @Sendable (Reply) -> Void) -> ReplyTicket
    ) throws -> Reply {
        let box = Mutex<Reply?>(nil)
        let timedOut = Atomic(false)
        let ticket = start { [wakeup] reply in
            box.withLock { $0 = reply }
            wakeup.signal()
        }
        if box.withLock({ $0 }) == nil {
            waiting()
            let deadline = broker.scheduler.schedule("group join wait", in: .real, after: timeoutMs) { [wakeup] in
                timedOut.store(true, ordering: .releasing)
                wakeup.signal()
            }
            defer { broker.scheduler.cancel(deadline) }
            while box.withLock({ $0 }) == nil, !timedOut.load(ordering: .acquiring), !isInterrupted() {
                wakeup.wait()
            }
        }
        guard let reply = box.withLock({ $0 }) else {
            broker.cancelReply(ticket)
            if isInterrupted() { throw ShellError("stopped waiting for the group's other members to rejoin (Ctrl-C)") }
            throw ShellError("the group's other members did not rejoin within \(timeoutMs / 1000) s")
        }
        return reply
    }
}
