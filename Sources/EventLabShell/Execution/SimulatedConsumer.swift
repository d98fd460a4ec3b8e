import EventLabCore
import Foundation
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
    /// while the group's other members rejoin.
    static func join(_ broker: Broker, group: String, topic: String, waiting: () -> Void = {}) throws -> SimulatedConsumer {
        let assignor = RangeAssignor()
        let subscription = ConsumerProtocol.Subscription(topics: [topic]).encoded()
        let joined = try waitForReply(timeoutMs: Int(rebalanceTimeoutMs) + 1000, waiting: waiting) { (reply: @escaping @Sendable (JoinGroupResponse) -> Void) in
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
        let synced = try waitForReply(timeoutMs: Int(rebalanceTimeoutMs) + 1000) { (reply: @escaping @Sendable (SyncGroupResponse) -> Void) in
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

    /// Calls `start` with a reply callback and waits for the reply.
    private static func waitForReply<Reply: Sendable>(
        timeoutMs: Int, waiting: () -> Void = {}, _ start: (@escaping @Sendable (Reply) -> Void) -> Void
    ) throws -> Reply {
        let box = Mutex<Reply?>(nil)
        let semaphore = DispatchSemaphore(value: 0)
        start { reply in
            box.withLock { $0 = reply }
            semaphore.signal()
        }
        if box.withLock({ $0 }) == nil {
            waiting()
            _ = semaphore.wait(timeout: .now() + .milliseconds(timeoutMs))
        }
        guard let reply = box.withLock({ $0 }) else {
            throw ShellError("the group's other members did not rejoin within \(timeoutMs / 1000) s")
        }
        return reply
    }
}
