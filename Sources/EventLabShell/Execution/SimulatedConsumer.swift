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
        let member = GroupMember(
            broker: broker,
            configuration: GroupMemberConfiguration(groupId: group, clientId: "eventlab", topics: [topic], rebalanceTimeoutMs: rebalanceTimeoutMs),
            wakeup: wakeup)
        let timeoutMs = Int64(rebalanceTimeoutMs) + 1000
        let timedOut = Atomic(false)
        do {
            try member.awaitAssignment(
                armDeadline: {
                    let deadline = broker.scheduler.schedule("group join wait", in: .real, after: timeoutMs) { [wakeup] in
                        timedOut.store(true, ordering: .releasing)
                        wakeup.signal()
                    }
                    return { _ = broker.scheduler.cancel(deadline) }
                },
                stop: { () -> (any Error)? in
                    if isInterrupted() { return ShellError("stopped waiting for the group's other members to rejoin (Ctrl-C)") }
                    if timedOut.load(ordering: .acquiring) { return ShellError("the group's other members did not rejoin within \(timeoutMs / 1000) s") }
                    return nil
                },
                waiting: waiting)
        } catch let failure as GroupMemberFailure {
            throw ShellError("joining group '\(group)' failed \(failure.step == .sync ? "at sync " : "")with \(failure.code.name)")
        }
        return SimulatedConsumer(
            memberId: member.machine.memberId, generation: member.machine.generation,
            partitions: member.assignment.filter { $0.topic == topic }.map(\.partition).sorted())
    }
}
