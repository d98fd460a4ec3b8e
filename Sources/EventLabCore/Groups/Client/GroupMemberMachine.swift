/// The client side of Kafka's classic group protocol for one consumer: what a member sends and
/// when, as a pure value.
///
/// Events come in — the owner's wishes (start, heartbeat, commit, leave) and the coordinator's
/// answers — and actions come out: requests to send, partitions gained and lost, a failure.
/// Nothing here waits or touches the broker, so every rule is tested directly; a driver such
/// as ``GroupMember`` sends the requests and feeds the answers back. The protocol is Kafka's
/// eager one: a member gives up all its partitions when a rebalance starts, may commit what
/// it has read of them, then rejoins.
public struct GroupMemberMachine: Sendable {
    /// Where the member is in the protocol.
    public enum Phase: Hashable, Sendable {
        /// Not started.
        case idle
        /// A JoinGroup is out.
        case joining
        /// Leading: waiting for the partition counts of the topics the group reads.
        case assigning
        /// A SyncGroup is out.
        case syncing
        /// Has its assignment; commits are allowed.
        case stable
        /// A rebalance started: the owner may commit what it read before the member rejoins.
        case revoking
        /// Left the group.
        case left
        /// Stopped by an answer it cannot recover from.
        case failed(KafkaErrorCode)
    }

    /// What the owner wants or what the coordinator answered.
    public enum Event: Hashable, Sendable {
        /// Join the group.
        case start
        /// The JoinGroup's answer.
        case joined(JoinGroupResponse)
        /// Partition counts of the topics a leader asked for (``Action/describeTopics(_:)``);
        /// a topic that does not exist is left out.
        case described([String: Int32])
        /// The SyncGroup's answer.
        case synced(SyncGroupResponse)
        /// Time to tell the coordinator the member is alive.
        case heartbeatDue
        /// The heartbeat's answer.
        case heartbeatAnswered(KafkaErrorCode)
        /// Commit these offsets (positions the member has read up to).
        case commit([TopicPartition: CommittedOffset])
        /// The commit's answer per partition.
        case commitAnswered([TopicPartition: KafkaErrorCode])
        /// The owner is done with the partitions of ``Action/revoke(_:)``.
        case revoked
        /// Leave the group.
        case leave
    }

    /// What to do, in order.
    public enum Action: Hashable, Sendable {
        /// Send JoinGroup.
        case join(JoinGroupRequest)
        /// Leading: look up these topics' partition counts, answer with ``Event/described(_:)``.
        case describeTopics([String])
        /// Send SyncGroup (with every member's assignment when leading).
        case sync(SyncGroupRequest)
        /// Send Heartbeat.
        case heartbeat(groupId: String, memberId: String, instanceId: String?, generationId: Int32)
        /// Send OffsetCommit.
        case commit(groupId: String, memberId: String, generationId: Int32, offsets: [TopicPartition: CommittedOffset])
        /// A commit the machine did not send: no generation owns the member's partitions while
        /// it rebalances, so it answers REBALANCE_IN_PROGRESS as Kafka's consumer does.
        case commitRefused([TopicPartition: KafkaErrorCode])
        /// Send LeaveGroup.
        case leave(groupId: String, memberId: String)
        /// The member now owns these partitions.
        case assigned([TopicPartition])
        /// A rebalance started: these partitions are given up. The owner may commit what it
        /// read of them, then answers with ``Event/revoked``.
        case revoke([TopicPartition])
        /// The member was fenced: these partitions may already be someone else's, so nothing
        /// read of them may be committed.
        case lost([TopicPartition])
        /// The member stopped for good: the coordinator refused it with this code.
        case failed(KafkaErrorCode)
    }

    /// The member's settings.
    public let configuration: GroupMemberConfiguration
    /// Where the member is.
    public private(set) var phase: Phase = .idle
    /// The id the coordinator gave; empty before the first join answers.
    public private(set) var memberId = ""
    /// The generation the member last joined; -1 before.
    public private(set) var generation: Int32 = -1
    /// The assignor the group chose.
    public private(set) var protocolName: String?
    /// The group's leader, as of the last join.
    public private(set) var leaderId: String?
    /// The partitions the member owns; empty unless ``phase`` is stable or revoking.
    public private(set) var assignment: [TopicPartition] = []
    /// While leading: every member's subscription bytes, to assign once partition counts come.
    private var joinedMembers: [JoinGroupResponse.JoinedMember] = []

    /// A member that has not joined yet.
    public init(_ configuration: GroupMemberConfiguration) {
        self.configuration = configuration
    }

    /// Whether the member has its partitions.
    public var isStable: Bool { phase == .stable }

    /// Takes one event; returns what to do.
    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .start:
            guard phase == .idle || phase == .left else { return [] }
            return rejoin()
        case .joined(let response):
            guard phase == .joining else { return [] }
            return joined(response)
        case .described(let counts):
            guard phase == .assigning else { return [] }
            return assign(counts)
        case .synced(let response):
            guard phase == .syncing else { return [] }
            return synced(response)
        case .heartbeatDue:
            guard phase == .stable || phase == .revoking else { return [] }
            return [.heartbeat(groupId: configuration.groupId, memberId: memberId, instanceId: configuration.instanceId, generationId: generation)]
        case .heartbeatAnswered(let error):
            guard phase == .stable else { return [] }
            return answered(error)
        case .commit(let offsets):
            guard phase == .stable || phase == .revoking else {
                return [.commitRefused(offsets.mapValues { _ in .rebalanceInProgress })]
            }
            return [.commit(groupId: configuration.groupId, memberId: memberId, generationId: generation, offsets: offsets)]
        case .commitAnswered(let errors):
            // A rejected commit is not retried: its offsets belong to a generation that ended.
            guard phase == .stable || phase == .revoking, let error = errors.values.first(where: Self.endsGeneration) else { return [] }
            return answered(error)
        case .revoked:
            guard phase == .revoking else { return [] }
            assignment = []
            return rejoin()
        case .leave:
            if case .failed = phase { return [] }
            // A static member sends no LeaveGroup, as Kafka's consumer closes: its partitions
            // wait for it to come back until its session runs out.
            let sendsLeave = !memberId.isEmpty && phase != .left && configuration.instanceId == nil
            let leaving = memberId
            phase = .left
            assignment = []
            memberId = ""
            generation = -1
            return sendsLeave ? [.leave(groupId: configuration.groupId, memberId: leaving)] : []
        }
    }

    /// The answer codes by which the coordinator says the member's generation is over.
    static func endsGeneration(_ error: KafkaErrorCode) -> Bool {
        [.rebalanceInProgress, .illegalGeneration, .unknownMemberId, .fencedInstanceId].contains(error)
    }

    /// A heartbeat's or a commit's answer while stable.
    private mutating func answered(_ error: KafkaErrorCode) -> [Action] {
        switch error {
        case .none:
            return []
        case .rebalanceInProgress:
            guard phase == .stable else { return [] }
            phase = .revoking
            return [.revoke(assignment)]
        case .illegalGeneration, .unknownMemberId:
            // Kafka keeps the member id for a stale generation: the coordinator still knows it.
            if error == .unknownMemberId { memberId = "" }
            let lost = assignment
            assignment = []
            return [.lost(lost)] + rejoin()
        default:
            let lost = assignment
            assignment = []
            phase = .failed(error)
            return [.lost(lost), .failed(error)]
        }
    }

    private mutating func rejoin() -> [Action] {
        phase = .joining
        generation = -1
        return [.join(JoinGroupRequest(
            groupId: configuration.groupId, memberId: memberId, clientId: configuration.clientId,
            sessionTimeoutMs: configuration.sessionTimeoutMs, rebalanceTimeoutMs: configuration.rebalanceTimeoutMs,
            protocols: configuration.protocols, instanceId: configuration.instanceId,
            requiresKnownMemberId: configuration.requiresKnownMemberId,
            initialRebalanceDelayMs: configuration.initialRebalanceDelayMs))]
    }

    private mutating func joined(_ response: JoinGroupResponse) -> [Action] {
        switch response.error {
        case .none:
            memberId = response.memberId
            generation = response.generationId
            protocolName = response.protocolName
            leaderId = response.leaderId
            // A static leader rejoining a stable group gets no members: the group keeps its assignment.
            guard response.isLeader, !response.members.isEmpty else { return [.sync(syncRequest([:]))] }
            joinedMembers = response.members
            phase = .assigning
            return [.describeTopics(Set(subscriptions.values.joined()).sorted())]
        case .memberIdRequired:
            memberId = response.memberId
            return rejoin()
        case .unknownMemberId where !memberId.isEmpty:
            memberId = ""
            return rejoin()
        default:
            return fail(response.error)
        }
    }

    /// Each member's subscribed topics; a member whose bytes do not parse reads nothing.
    private var subscriptions: [String: [String]] {
        Dictionary(uniqueKeysWithValues: joinedMembers.map { member in
            (member.memberId, (try? ConsumerProtocol.Subscription(decoding: member.metadata).topics) ?? [])
        })
    }

    private mutating func assign(_ counts: [String: Int32]) -> [Action] {
        let assignor = configuration.assignors.first { $0.name == protocolName } ?? configuration.assignors[0]
        let assignments = assignor.assign(subscriptions: subscriptions, partitionCounts: counts)
            .mapValues { ConsumerProtocol.Assignment(partitions: $0).encoded() }
        joinedMembers = []
        return [.sync(syncRequest(assignments))]
    }

    private mutating func syncRequest(_ assignments: [String: [UInt8]]) -> SyncGroupRequest {
        phase = .syncing
        return SyncGroupRequest(
            groupId: configuration.groupId, generationId: generation, memberId: memberId, assignments: assignments,
            instanceId: configuration.instanceId)
    }

    private mutating func synced(_ response: SyncGroupResponse) -> [Action] {
        switch response.error {
        case .none:
            guard let decoded = try? ConsumerProtocol.Assignment(decoding: response.assignment) else {
                return fail(.inconsistentGroupProtocol)
            }
            assignment = decoded.partitions.sorted()
            phase = .stable
            return [.assigned(assignment)]
        case .rebalanceInProgress, .illegalGeneration:
            return rejoin()
        case .unknownMemberId:
            memberId = ""
            return rejoin()
        default:
            return fail(response.error)
        }
    }

    private mutating func fail(_ error: KafkaErrorCode) -> [Action] {
        phase = .failed(error)
        assignment = []
        return [.failed(error)]
    }
}
