/// One consumer group's membership and committed offsets: Kafka's classic group protocol as a
/// pure state machine.
///
/// Requests come in with the time from a monotonic timer; the answers to parked JoinGroup and
/// SyncGroup calls come out as ``GroupReply`` values for the caller to deliver. Nothing here
/// waits, reads a clock or touches a socket, so every rule can be tested directly.
public struct ConsumerGroup: Hashable, Sendable {
    /// Kafka's group states.
    public enum State: String, Hashable, Sendable {
        /// No members; committed offsets may remain.
        case empty = "Empty"
        /// Waiting for every known member to (re)join.
        case preparingRebalance = "PreparingRebalance"
        /// Joined; waiting for the leader's assignment.
        case completingRebalance = "CompletingRebalance"
        /// Every member has its assignment.
        case stable = "Stable"
    }

    /// A member of the group.
    public struct Member: Hashable, Sendable {
        /// The member's id.
        public var id: String
        /// The client id the member announced.
        public var clientId: String
        /// The member's `group.instance.id`: set, it is a static member.
        public var instanceId: String?
        /// How long the member may stay silent before it is removed.
        public var sessionTimeoutMs: Int32
        /// How long a rebalance waits for the member to rejoin.
        public var rebalanceTimeoutMs: Int32
        /// The protocols the member speaks, in its order of preference.
        public var protocols: [GroupProtocol]
        /// The leader's assignment for this member, opaque bytes.
        public var assignment: [UInt8] = []
        var lastSeen: Int64
        var pendingJoin: ReplyTicket?
        var pendingSync: ReplyTicket?
    }

    /// The group's id.
    public let id: String
    /// Where the group is in Kafka's state machine.
    public private(set) var state: State = .empty
    /// Bumped each time a rebalance completes.
    public private(set) var generation: Int32 = 0
    /// The protocol type every member shares, "consumer" for consumer groups.
    public private(set) var protocolType: String?
    /// The protocol (assignor) chosen in the last rebalance.
    public private(set) var protocolName: String?
    /// The member that computes the assignment.
    public internal(set) var leaderId: String?
    /// Members in the order they joined.
    public internal(set) var members: [Member] = []
    /// Committed offsets per partition.
    public var offsets: [TopicPartition: CommittedOffset] = [:]
    /// Ids handed out with MEMBER_ID_REQUIRED, each until the timer reading when it lapses
    /// unless its member joins with it.
    var pendingMemberIds: [String: Int64] = [:]
    private var deadline: Int64?
    /// While the first rebalance of an empty group waits for more members, when the wait
    /// ends, and the latest it may be put off to (the first join plus its rebalance timeout).
    private var initialDelay: InitialDelay?

    private struct InitialDelay: Hashable, Sendable {
        var until: Int64
        var limit: Int64
    }

    /// An empty group named `id`.
    public init(id: String) {
        self.id = id
    }

    func index(of memberId: String) -> Int? {
        members.firstIndex { $0.id == memberId }
    }

    /// The member holding `instanceId`, if a static member does.
    func index(ofInstance instanceId: String) -> Int? {
        members.firstIndex { $0.instanceId == instanceId }
    }

    /// FENCED_INSTANCE_ID when `instanceId` belongs to another member id now: a newer
    /// process with the same `group.instance.id` took the place of `memberId`.
    func fencing(memberId: String, instanceId: String?) -> KafkaErrorCode? {
        guard let instanceId, let holder = index(ofInstance: instanceId), members[holder].id != memberId else { return nil }
        return .fencedInstanceId
    }

    // MARK: JoinGroup

    /// Handles a JoinGroup from a member whose id is already known or was just made (`memberId`).
    mutating func join(
        _ request: JoinGroupRequest, memberId: String, ticket: ReplyTicket, now: Int64
    ) -> [GroupReply] {
        if let refused = refusal(of: request, memberId: memberId) {
            return [.join(ticket, .failed(refused, memberId: request.memberId))]
        }
        let wasEmpty = state == .empty
        var replies = beginRebalance(now: now)
        let delay = Int64(min(request.initialRebalanceDelayMs, request.rebalanceTimeoutMs))
        if wasEmpty, delay > 0 {
            initialDelay = InitialDelay(until: now + delay, limit: now + Int64(request.rebalanceTimeoutMs))
        } else if let waiting = initialDelay, index(of: memberId) == nil {
            initialDelay = InitialDelay(until: min(now + delay, waiting.limit), limit: waiting.limit)
        }
        if let existing = index(of: memberId) {
            members[existing].protocols = request.protocols
            members[existing].sessionTimeoutMs = request.sessionTimeoutMs
            members[existing].rebalanceTimeoutMs = request.rebalanceTimeoutMs
            members[existing].pendingJoin = ticket
            members[existing].lastSeen = now
        } else {
            members.append(Member(
                id: memberId, clientId: request.clientId, instanceId: request.instanceId, sessionTimeoutMs: request.sessionTimeoutMs,
                rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocols: request.protocols,
                lastSeen: now, pendingJoin: ticket))
        }
        protocolType = request.protocolType
        deadline = min(deadline ?? .max, now + Int64(members.map(\.rebalanceTimeoutMs).max() ?? 0))
        replies += completeJoinIfReady(now: now)
        return replies
    }

    /// INCONSISTENT_GROUP_PROTOCOL when the request's protocol type or protocols do not fit
    /// the other members'.
    func refusal(of request: JoinGroupRequest, memberId: String) -> KafkaErrorCode? {
        if !members.isEmpty, let protocolType, protocolType != request.protocolType { return .inconsistentGroupProtocol }
        let others = members.filter { $0.id != memberId }
        let names = Set(request.protocols.map(\.name))
        if request.protocols.isEmpty || others.contains(where: { Set($0.protocols.map(\.name)).isDisjoint(with: names) }) {
            return .inconsistentGroupProtocol
        }
        return nil
    }

    /// Moves to PreparingRebalance; members waiting for a sync are told to rejoin.
    mutating func beginRebalance(now: Int64) -> [GroupReply] {
        guard state != .preparingRebalance else { return [] }
        var replies: [GroupReply] = []
        for index in members.indices {
            if let ticket = members[index].pendingSync {
                replies.append(.sync(ticket, SyncGroupResponse(error: .rebalanceInProgress, assignment: [])))
                members[index].pendingSync = nil
            }
        }
        state = .preparingRebalance
        deadline = nil
        return replies
    }

    /// Completes the join once every member has rejoined, unless the first rebalance of an
    /// empty group is still waiting for more members.
    mutating func completeJoinIfReady(now: Int64) -> [GroupReply] {
        guard state == .preparingRebalance, members.allSatisfy({ $0.pendingJoin != nil }) else { return [] }
        if let initialDelay, now < initialDelay.until { return [] }
        return completeJoin(now: now)
    }

    /// Starts a new generation with the members that have rejoined.
    private mutating func completeJoin(now: Int64) -> [GroupReply] {
        members.removeAll { $0.pendingJoin == nil }
        generation += 1
        initialDelay = nil
        guard !members.isEmpty else {
            // Kafka keeps the protocol type of an empty group: it is still a consumer group.
            state = .empty
            leaderId = nil
            protocolName = nil
            deadline = nil
            return []
        }
        if leaderId.map({ index(of: $0) == nil }) ?? true { leaderId = members[0].id }
        let leader = members[index(of: leaderId!)!]
        let chosen = leader.protocols.first { candidate in
            members.allSatisfy { $0.protocols.contains { $0.name == candidate.name } }
        }!.name
        protocolName = chosen
        state = .completingRebalance
        deadline = now + Int64(members.map(\.rebalanceTimeoutMs).max() ?? 0)
        let all = members.map { member in
            JoinGroupResponse.JoinedMember(
                memberId: member.id, instanceId: member.instanceId, metadata: member.protocols.first { $0.name == chosen }!.metadata)
        }
        var replies: [GroupReply] = []
        for index in members.indices {
            let member = members[index]
            members[index].pendingJoin = nil
            members[index].lastSeen = now
            members[index].assignment = []
            let response = JoinGroupResponse(
                error: .none, generationId: generation, protocolName: chosen, leaderId: leaderId!,
                memberId: member.id, members: member.id == leaderId ? all : [])
            replies.append(.join(member.pendingJoin!, response))
        }
        return replies
    }

    // MARK: SyncGroup

    mutating func sync(_ request: SyncGroupRequest, ticket: ReplyTicket, now: Int64) -> [GroupReply] {
        func answer(_ error: KafkaErrorCode, _ assignment: [UInt8] = []) -> [GroupReply] {
            [.sync(ticket, SyncGroupResponse(error: error, assignment: assignment))]
        }
        if let fenced = fencing(memberId: request.memberId, instanceId: request.instanceId) { return answer(fenced) }
        guard let position = index(of: request.memberId) else { return answer(.unknownMemberId) }
        guard request.generationId == generation else { return answer(.illegalGeneration) }
        members[position].lastSeen = now
        switch state {
        case .empty, .preparingRebalance:
            return answer(.rebalanceInProgress)
        case .stable:
            return answer(.none, members[position].assignment)
        case .completingRebalance:
            members[position].pendingSync = ticket
            guard request.memberId == leaderId else { return [] }
            var replies: [GroupReply] = []
            for index in members.indices {
                members[index].assignment = request.assignments[members[index].id] ?? []
                if let waiting = members[index].pendingSync {
                    replies.append(.sync(waiting, SyncGroupResponse(error: .none, assignment: members[index].assignment)))
                    members[index].pendingSync = nil
                }
            }
            state = .stable
            deadline = nil
            return replies
        }
    }

    // MARK: Heartbeat and LeaveGroup

    mutating func heartbeat(memberId: String, instanceId: String?, generationId: Int32, now: Int64) -> KafkaErrorCode {
        if let fenced = fencing(memberId: memberId, instanceId: instanceId) { return fenced }
        guard let position = index(of: memberId) else { return .unknownMemberId }
        members[position].lastSeen = now
        guard generationId == generation else { return .illegalGeneration }
        return state == .preparingRebalance ? .rebalanceInProgress : .none
    }

    mutating func leave(memberId: String, now: Int64) -> (KafkaErrorCode, [GroupReply]) {
        guard let position = index(of: memberId) else { return (.unknownMemberId, []) }
        return (.none, remove([position], now: now))
    }

    /// Removes members and rebalances the rest; answers their parked calls with UNKNOWN_MEMBER_ID.
    private mutating func remove(_ positions: [Int], now: Int64) -> [GroupReply] {
        var replies = beginRebalance(now: now)
        for position in positions.sorted(by: >) {
            if let ticket = members[position].pendingJoin {
                replies.append(.join(ticket, .failed(.unknownMemberId, memberId: members[position].id)))
            }
            members.remove(at: position)
        }
        if deadline == nil { deadline = now + Int64(members.map(\.rebalanceTimeoutMs).max() ?? 0) }
        replies += completeJoinIfReady(now: now)
        return replies
    }

    // MARK: Timeouts

    /// Expires members whose session ran out, and rebalances that waited too long.
    mutating func tick(now: Int64) -> [GroupReply] {
        pendingMemberIds = pendingMemberIds.filter { $0.value > now }
        let expired = members.indices.filter { index in
            members[index].pendingJoin == nil && now - members[index].lastSeen > Int64(members[index].sessionTimeoutMs)
        }
        var replies: [GroupReply] = []
        if !expired.isEmpty { replies += remove(expired, now: now) }
        replies += completeJoinIfReady(now: now)
        guard let deadline, now >= deadline else { return replies }
        switch state {
        case .preparingRebalance:
            replies += completeJoin(now: now)
        case .completingRebalance:
            let unsynced = members.indices.filter { members[$0].pendingSync == nil }
            replies += remove(unsynced.isEmpty ? Array(members.indices) : unsynced, now: now)
        case .empty, .stable:
            break
        }
        return replies
    }

    /// The earliest timer reading at which ``tick(now:)`` would change something: a member's
    /// session running out (Kafka removes it once the timeout has fully passed) or the rebalance
    /// timing out; nil when nothing is timed.
    var nextDeadline: Int64? {
        let sessions = members.lazy.filter { $0.pendingJoin == nil }
            .map { $0.lastSeen.addingSaturating(Int64($0.sessionTimeoutMs) + 1) }.min()
        let rebalance = state == .preparingRebalance || state == .completingRebalance ? deadline : nil
        let pending = pendingMemberIds.values.min()
        return [sessions, rebalance, initialDelay?.until, pending].compactMap { $0 }.min()
    }

    // MARK: Offsets

    /// Whether a commit from `memberId` at `generationId` may be stored, by Kafka's rules:
    /// a standalone commit (no member, negative generation) only while the group is empty.
    func validateCommit(memberId: String, generationId: Int32) -> KafkaErrorCode {
        if generationId < 0 && memberId.isEmpty {
            return state == .empty ? .none : .unknownMemberId
        }
        guard index(of: memberId) != nil else { return .unknownMemberId }
        guard generationId == generation else { return .illegalGeneration }
        return state == .completingRebalance ? .rebalanceInProgress : .none
    }
}
