/// Every consumer group of the broker: membership, rebalances and committed offsets.
///
/// A pure value: the broker holds it under its lock and delivers the ``GroupReply`` values it
/// returns. Real network clients and EventLab's simulated consumers go through the same calls.
public struct GroupCoordinator: Sendable {
    /// The groups by id.
    public private(set) var groups: [String: ConsumerGroup] = [:]
    /// Allowed session timeouts, Kafka's defaults `group.min/max.session.timeout.ms`.
    public var sessionTimeoutRange: ClosedRange<Int32> = 6_000...1_800_000
    /// The longest commit metadata Kafka accepts.
    public static let maxMetadataLength = 4096
    private let ids: any IdSource

    /// A coordinator with no groups whose new member ids come from `ids`.
    public init(ids: any IdSource) {
        self.ids = ids
    }

    /// Handles JoinGroup. The reply for `ticket` may come now or from a later call, when the
    /// other members have rejoined or the rebalance timed out.
    ///
    /// A new member of JoinGroup v4+ without an instance id first gets MEMBER_ID_REQUIRED with
    /// its id (KIP-394); a static member whose instance id the group knows takes that member's
    /// place (KIP-345).
    public mutating func join(_ request: JoinGroupRequest, ticket: ReplyTicket, now: Int64) -> [GroupReply] {
        guard !request.groupId.isEmpty else { return [.join(ticket, .failed(.invalidGroupId))] }
        guard sessionTimeoutRange.contains(request.sessionTimeoutMs) else {
            return [.join(ticket, .failed(.invalidSessionTimeout, memberId: request.memberId))]
        }
        var group = groups[request.groupId] ?? ConsumerGroup(id: request.groupId)
        let replies: [GroupReply]
        if request.memberId.isEmpty {
            let prefix = request.instanceId ?? (request.clientId.isEmpty ? "member" : request.clientId)
            let memberId = ids.nextId(prefix: prefix)
            if let instanceId = request.instanceId, let position = group.index(ofInstance: instanceId) {
                replies = group.replaceStaticMember(at: position, with: request, memberId: memberId, ticket: ticket, now: now)
            } else if request.instanceId == nil && request.requiresKnownMemberId {
                group.pendingMemberIds[memberId] = now + Int64(request.sessionTimeoutMs)
                replies = [.join(ticket, .failed(.memberIdRequired, memberId: memberId))]
            } else {
                replies = group.join(request, memberId: memberId, ticket: ticket, now: now)
            }
        } else if let fenced = group.fencing(memberId: request.memberId, instanceId: request.instanceId) {
            replies = [.join(ticket, .failed(fenced, memberId: request.memberId))]
        } else if group.pendingMemberIds.removeValue(forKey: request.memberId) != nil || group.index(of: request.memberId) != nil {
            replies = group.join(request, memberId: request.memberId, ticket: ticket, now: now)
        } else {
            return [.join(ticket, .failed(.unknownMemberId, memberId: request.memberId))]
        }
        store(group)
        return replies
    }

    /// Handles SyncGroup: the leader's assignments are handed to every member.
    public mutating func sync(_ request: SyncGroupRequest, ticket: ReplyTicket, now: Int64) -> [GroupReply] {
        guard var group = groups[request.groupId] else {
            return [.sync(ticket, SyncGroupResponse(error: .unknownMemberId, assignment: []))]
        }
        let replies = group.sync(request, ticket: ticket, now: now)
        groups[request.groupId] = group
        return replies
    }

    /// Handles Heartbeat: keeps the member's session alive; REBALANCE_IN_PROGRESS asks it to rejoin.
    /// A member whose `instanceId` a newer member holds gets FENCED_INSTANCE_ID.
    public mutating func heartbeat(
        groupId: String, memberId: String, instanceId: String? = nil, generationId: Int32, now: Int64
    ) -> KafkaErrorCode {
        guard var group = groups[groupId] else { return .unknownMemberId }
        let error = group.heartbeat(memberId: memberId, instanceId: instanceId, generationId: generationId, now: now)
        groups[groupId] = group
        return error
    }

    /// Handles LeaveGroup: the member goes and the others rebalance.
    public mutating func leave(groupId: String, memberId: String, now: Int64) -> (KafkaErrorCode, [GroupReply]) {
        guard var group = groups[groupId] else { return (.unknownMemberId, []) }
        let result = group.leave(memberId: memberId, now: now)
        store(group)
        return result
    }

    /// Expires silent members and overdue rebalances in every group.
    public mutating func tick(now: Int64) -> [GroupReply] {
        var replies: [GroupReply] = []
        for id in groups.keys.sorted() {
            var group = groups[id]!
            let onlyPending = group.members.isEmpty && !group.pendingMemberIds.isEmpty
            replies += group.tick(now: now)
            // A group that only a MEMBER_ID_REQUIRED answer made is forgotten once its id lapses.
            if onlyPending { store(group) } else { groups[id] = group }
        }
        return replies
    }

    /// The earliest timer reading at which ``tick(now:)`` would expire a member or end a
    /// rebalance in some group; nil when no group waits on time.
    public var nextDeadline: Int64? {
        groups.values.lazy.compactMap(\.nextDeadline).min()
    }

    /// Handles OffsetCommit for partitions the caller has checked exist; answers per partition.
    public mutating func commit(
        groupId: String, memberId: String, generationId: Int32, offsets: [TopicPartition: CommittedOffset]
    ) -> [TopicPartition: KafkaErrorCode] {
        guard !groupId.isEmpty else { return offsets.mapValues { _ in .invalidGroupId } }
        var group: ConsumerGroup
        if let existing = groups[groupId] {
            group = existing
        } else {
            guard generationId < 0 else { return offsets.mapValues { _ in .illegalGeneration } }
            group = ConsumerGroup(id: groupId)
        }
        let error = group.validateCommit(memberId: memberId, generationId: generationId)
        var result: [TopicPartition: KafkaErrorCode] = [:]
        for (partition, committed) in offsets {
            if error != .none {
                result[partition] = error
            } else if (committed.metadata?.utf8.count ?? 0) > Self.maxMetadataLength {
                result[partition] = .offsetMetadataTooLarge
            } else {
                group.offsets[partition] = committed
                result[partition] = KafkaErrorCode.none
            }
        }
        groups[groupId] = group
        return result
    }

    /// The group's committed offsets (none for an unknown group).
    public func committedOffsets(groupId: String) -> [TopicPartition: CommittedOffset] {
        groups[groupId]?.offsets ?? [:]
    }

    /// Takes offsets that ``commit(groupId:memberId:generationId:offsets:)`` accepted and that
    /// are now stored: the commit takes effect.
    public mutating func record(_ offsets: [TopicPartition: CommittedOffset], groupId: String) {
        var group = groups[groupId] ?? ConsumerGroup(id: groupId)
        for (partition, committed) in offsets { group.offsets[partition] = committed }
        groups[groupId] = group
    }

    /// Overwrites committed offsets, as `kafka-consumer-groups --reset-offsets --execute` does;
    /// a group that does not exist yet is created with them, positioned before it consumes.
    ///
    /// - Throws: `NON_EMPTY_GROUP` while the group has members, because they would overwrite
    ///   the reset with their next commit.
    public mutating func resetOffsets(
        groupId: String, to offsets: [TopicPartition: Int64], commitTimestamp: Int64? = nil
    ) throws(BrokerError) {
        var group = groups[groupId] ?? ConsumerGroup(id: groupId)
        guard group.state == .empty else {
            throw BrokerError(
                .nonEmptyGroup,
                "Assignments can only be reset if the group '\(groupId)' is inactive, but the current state is \(group.state.rawValue)")
        }
        for (partition, offset) in offsets {
            group.offsets[partition] = CommittedOffset(offset: offset, metadata: group.offsets[partition]?.metadata, commitTimestamp: commitTimestamp)
        }
        groups[groupId] = group
    }

    /// Forgets offsets on `topic`, which was deleted; drops empty groups left with none.
    ///
    /// - Returns: the ids of the groups whose offsets changed.
    @discardableResult
    public mutating func removeOffsets(topic: String) -> [String] {
        var changed: [String] = []
        for id in groups.keys.sorted() where groups[id]!.offsets.keys.contains(where: { $0.topic == topic }) {
            groups[id]!.offsets = groups[id]!.offsets.filter { $0.key.topic != topic }
            changed.append(id)
            store(groups[id]!)
        }
        return changed
    }

    /// Forgets the group's offsets on `partitions` (expired, or deleted by OffsetDelete); drops
    /// the group if it is empty and has none left.
    public mutating func removeOffsets(_ partitions: [TopicPartition], groupId: String) {
        guard var group = groups[groupId] else { return }
        for partition in partitions { group.offsets[partition] = nil }
        store(group)
    }

    /// Forgets group `groupId` with its committed offsets, as DeleteGroups does: for a group
    /// the caller has found without members.
    public mutating func removeGroup(_ groupId: String) {
        groups[groupId] = nil
    }

    /// Brings back committed offsets that storage kept; their groups start empty.
    public mutating func restore(_ offsets: [String: [TopicPartition: CommittedOffset]]) {
        for (id, offsets) in offsets where !offsets.isEmpty {
            var group = groups[id] ?? ConsumerGroup(id: id)
            group.offsets = offsets
            groups[id] = group
        }
    }

    /// Keeps `group`, unless it is empty and has no offsets: then nothing is left to remember.
    private mutating func store(_ group: ConsumerGroup) {
        let forgotten = group.state == .empty && group.members.isEmpty && group.offsets.isEmpty && group.pendingMemberIds.isEmpty
        groups[group.id] = forgotten ? nil : group
    }

    /// Names the known groups, for error messages.
    var knownGroupsHint: String {
        groups.isEmpty ? "there are no groups yet" : "groups: \(groups.keys.sorted().joined(separator: ", "))"
    }
}
