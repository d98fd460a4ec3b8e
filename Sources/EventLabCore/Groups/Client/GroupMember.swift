import Synchronization

/// A consumer-group member that EventLab plays itself, against the broker's public group API:
/// it sends what its ``GroupMemberMachine`` decides and feeds the answers back.
///
/// One thread owns a member and calls its methods. The broker answers a parked JoinGroup or
/// SyncGroup later, on whichever thread completes the rebalance: such an answer only lands
/// in the member's inbox and posts its wake-up; the owner takes it in ``poll()``.
public final class GroupMember {
    /// What the owner is told as partitions come and go.
    public struct Handlers {
        /// The member now owns these partitions.
        public var assigned: ([TopicPartition]) -> Void
        /// A rebalance takes these partitions away: returns the offsets to commit first, the
        /// positions read so far, so the next owner goes on from there.
        public var revoked: ([TopicPartition]) -> [TopicPartition: CommittedOffset]
        /// The member was fenced: these partitions are gone without a commit.
        public var lost: ([TopicPartition]) -> Void

        /// Handlers; each defaults to doing nothing (and committing nothing).
        public init(
            assigned: @escaping ([TopicPartition]) -> Void = { _ in },
            revoked: @escaping ([TopicPartition]) -> [TopicPartition: CommittedOffset] = { _ in [:] },
            lost: @escaping ([TopicPartition]) -> Void = { _ in }
        ) {
            self.assigned = assigned
            self.revoked = revoked
            self.lost = lost
        }
    }

    /// The broker the member belongs to.
    public let broker: Broker
    /// Posted when a parked answer arrives; a waiting owner may share it with other wake-ups.
    public let wakeup: Wakeup
    /// The member's protocol state: id, generation, assignment.
    public private(set) var machine: GroupMemberMachine
    private let handlers: Handlers
    private let inbox = Inbox()
    /// The parked JoinGroup or SyncGroup, to forget if the member stops waiting for it.
    private var pending: ReplyTicket?
    /// The answer to the last commit sent.
    private var lastCommit: [TopicPartition: KafkaErrorCode] = [:]

    /// A member of `broker` that has not joined yet.
    public init(broker: Broker, configuration: GroupMemberConfiguration, wakeup: Wakeup = Wakeup(), handlers: Handlers = Handlers()) {
        self.broker = broker
        self.wakeup = wakeup
        self.handlers = handlers
        machine = GroupMemberMachine(configuration)
    }

    /// The partitions the member owns.
    public var assignment: [TopicPartition] { machine.assignment }
    /// The id the coordinator gave; empty before the first join answers.
    public var memberId: String { machine.memberId }
    /// The generation the member last joined; -1 while it joins.
    public var generation: Int32 { machine.generation }

    /// Sends the first JoinGroup; the member is stable once ``poll()`` has taken the answers.
    public func start() {
        handle(.start)
    }

    /// Takes the answers that arrived and acts on them.
    public func poll() {
        for event in inbox.take() { handle(event) }
    }

    /// Heartbeats; an answer that says the group rebalances makes the member rejoin.
    public func heartbeat() {
        poll()
        handle(.heartbeatDue)
    }

    /// Commits `offsets` at the member's generation; answers per partition. While the member
    /// rebalances nothing is sent and every partition answers REBALANCE_IN_PROGRESS; a commit
    /// the coordinator fences makes the member rejoin, and is not sent again.
    @discardableResult
    public func commit(_ offsets: [TopicPartition: CommittedOffset]) -> [TopicPartition: KafkaErrorCode] {
        poll()
        lastCommit = [:]
        handle(.commit(offsets))
        return lastCommit
    }

    /// Leaves the group, forgetting an answer still parked.
    public func leave() {
        poll()
        if let pending { broker.cancelReply(pending) }
        pending = nil
        handle(.leave)
    }

    /// Waits until the member has its partitions, taking answers as they come; a member that
    /// has not joined (or has left) joins first.
    ///
    /// - Parameters:
    ///   - armDeadline: called once the member must block; schedules whatever posts
    ///     ``wakeup`` when the wait should end, and returns the function that cancels it.
    ///   - stop: checked after each wake-up; a reason it returns ends the wait.
    ///   - waiting: called once if the member must block while its JoinGroup is unanswered.
    /// - Throws: the reason `stop` gave, or ``GroupMemberFailure`` when the coordinator
    ///   refused the member. The parked request is forgotten either way.
    public func awaitAssignment(
        armDeadline: () -> () -> Void = { {} }, stop: () -> (any Error)? = { nil }, waiting: () -> Void = {}
    ) throws {
        var cancelDeadline: (() -> Void)?
        defer { cancelDeadline?() }
        var toldWaiting = false
        if machine.phase == .idle || machine.phase == .left { start() }
        while true {
            poll()
            if case .failed(let error) = machine.phase { throw GroupMemberFailure(code: error, step: failedStep) }
            if machine.isStable { return }
            if !toldWaiting && machine.phase == .joining {
                toldWaiting = true
                waiting()
            }
            if cancelDeadline == nil { cancelDeadline = armDeadline() }
            wakeup.wait()
            if inbox.isEmpty, let reason = stop() {
                if let pending { broker.cancelReply(pending) }
                pending = nil
                throw reason
            }
        }
    }

    /// The request the member was refused at, for ``GroupMemberFailure``.
    private var failedStep: GroupMemberFailure.Step = .join

    private func handle(_ event: GroupMemberMachine.Event) {
        var events = [event]
        while !events.isEmpty {
            // An action's answer comes before the events already waiting: a commit made while
            // revoking is answered before the member rejoins.
            events = machine.handle(events.removeFirst()).flatMap(apply) + events
            if events.isEmpty { events = inbox.take() }
        }
    }

    /// Sends one action's request; returns the events its answer makes at once.
    private func apply(_ action: GroupMemberMachine.Action) -> [GroupMemberMachine.Event] {
        switch action {
        case .join(let request):
            failedStep = .join
            pending = broker.joinGroup(request) { [inbox, wakeup] in inbox.put(.joined($0), wakeup) }
            return inbox.take()
        case .describeTopics(let topics):
            var counts: [String: Int32] = [:]
            for topic in topics { counts[topic] = (try? broker.describeTopic(topic)).map { Int32($0.partitions.count) } }
            return [.described(counts)]
        case .sync(let request):
            failedStep = .sync
            pending = broker.syncGroup(request) { [inbox, wakeup] in inbox.put(.synced($0), wakeup) }
            return inbox.take()
        case .heartbeat(let groupId, let memberId, let instanceId, let generationId):
            failedStep = .heartbeat
            return [.heartbeatAnswered(broker.heartbeat(groupId: groupId, memberId: memberId, instanceId: instanceId, generationId: generationId))]
        case .commit(let groupId, let memberId, let generationId, let offsets):
            failedStep = .commit
            lastCommit = broker.commitOffsets(groupId: groupId, memberId: memberId, generationId: generationId, offsets: offsets)
            return [.commitAnswered(lastCommit)]
        case .commitRefused(let errors):
            lastCommit = errors
            return []
        case .leave(let groupId, let memberId):
            broker.leaveGroup(groupId: groupId, memberId: memberId)
            return []
        case .assigned(let partitions):
            pending = nil
            handlers.assigned(partitions)
            return []
        case .revoke(let partitions):
            let offsets = handlers.revoked(partitions)
            return (offsets.isEmpty ? [] : [.commit(offsets)]) + [.revoked]
        case .lost(let partitions):
            handlers.lost(partitions)
            return []
        case .failed:
            pending = nil
            return []
        }
    }
}

/// Why the coordinator refused a group member for good.
public struct GroupMemberFailure: Error, Hashable, Sendable {
    /// The request that was refused.
    public enum Step: String, Hashable, Sendable {
        case join, sync, heartbeat, commit
    }

    /// The coordinator's answer.
    public let code: KafkaErrorCode
    /// The request it answered.
    public let step: Step
}

/// Answers that arrived for a member, from any thread.
private final class Inbox: Sendable {
    private let events = Mutex<[GroupMemberMachine.Event]>([])

    func put(_ event: GroupMemberMachine.Event, _ wakeup: Wakeup) {
        events.withLock { $0.append(event) }
        wakeup.signal()
    }

    func take() -> [GroupMemberMachine.Event] {
        events.withLock { events in
            defer { events = [] }
            return events
        }
    }

    var isEmpty: Bool { events.withLock { $0.isEmpty } }
}
