import Dispatch

extension Broker {
    /// Handles JoinGroup; `reply` is called once, now or when the rebalance completes.
    ///
    /// - Returns: the ticket the reply waits under, for ``cancelReply(_:)``.
    @discardableResult
    public func joinGroup(_ request: JoinGroupRequest, reply: @escaping @Sendable (JoinGroupResponse) -> Void) -> ReplyTicket {
        parked(.join(reply), group: request.groupId) { $0.join(request, ticket: $1, now: $2) }
    }

    /// Handles SyncGroup; `reply` is called once, now or when the leader's assignment arrives.
    ///
    /// - Returns: the ticket the reply waits under, for ``cancelReply(_:)``.
    @discardableResult
    public func syncGroup(_ request: SyncGroupRequest, reply: @escaping @Sendable (SyncGroupResponse) -> Void) -> ReplyTicket {
        parked(.sync(reply), group: request.groupId) { $0.sync(request, ticket: $1, now: $2) }
    }

    /// Forgets a parked JoinGroup or SyncGroup reply, whose caller is gone: it is never called.
    /// The member stays until it rejoins or its session runs out, as when a client disconnects.
    public func cancelReply(_ ticket: ReplyTicket) {
        _ = state.withLock { $0.pendingGroupReplies.removeValue(forKey: ticket) }
    }

    /// Runs a coordinator call that may park: its reply waits under a ticket until the group is
    /// ready, and every reply released is delivered outside the lock.
    private func parked(
        _ reply: PendingReply, group: String,
        _ call: (inout GroupCoordinator, ReplyTicket, Int64) -> [GroupReply]
    ) -> ReplyTicket {
        let now = timer.elapsedMilliseconds()
        let time = clock.now()
        let (ticket, deliveries, deadline, emptied) = state.withLock { state in
            let ticket = state.makeTicket(reply)
            let replies = call(&state.coordinator, ticket, now)
            let emptied = state.notePresence(of: [group], now: time)
            return (ticket, state.deliver(replies, group: group), state.coordinator.nextDeadline, emptied)
        }
        armGroupExpiry(by: deadline)
        saveEmptied(emptied)
        deliveries.forEach { $0() }
        return ticket
    }

    /// Handles Heartbeat; `instanceId` is the member's `group.instance.id`, if it is static.
    public func heartbeat(groupId: String, memberId: String, instanceId: String? = nil, generationId: Int32) -> KafkaErrorCode {
        let now = timer.elapsedMilliseconds()
        return state.withLock { state in
            state.coordinator.heartbeat(groupId: groupId, memberId: memberId, instanceId: instanceId, generationId: generationId, now: now)
        }
    }

    /// How long the first rebalance of an empty group of network clients waits for more
    /// members: `group.initial.rebalance.delay.ms` on the system clock, none on the logical
    /// clock, where a lesson's steps should not wait on real time.
    public var initialRebalanceDelayMs: Int32 {
        scheduler.isVirtual ? 0 : config.groupInitialRebalanceDelayMs
    }

    /// Handles LeaveGroup.
    @discardableResult
    public func leaveGroup(groupId: String, memberId: String) -> KafkaErrorCode {
        let now = timer.elapsedMilliseconds()
        let time = clock.now()
        let (error, deliveries, deadline, emptied) = state.withLock { state in
            let (error, replies) = state.coordinator.leave(groupId: groupId, memberId: memberId, now: now)
            let emptied = state.notePresence(of: [groupId], now: time)
            return (error, state.deliver(replies, group: groupId, changed: error == .none), state.coordinator.nextDeadline, emptied)
        }
        armGroupExpiry(by: deadline)
        saveEmptied(emptied)
        deliveries.forEach { $0() }
        return error
    }

    /// Handles OffsetCommit: answers per partition; unknown topics and partitions get
    /// `UNKNOWN_TOPIC_OR_PARTITION` and are not stored.
    ///
    /// The offsets file is written after the broker's lock is released, and the commit takes
    /// effect once it is written; a failed write changes nothing. One group's commits take turns,
    /// so an earlier commit's write never lands after a later one's. An offset without a commit
    /// timestamp is stamped with the broker clock's now.
    public func commitOffsets(
        groupId: String, memberId: String = "", generationId: Int32 = -1, offsets: [TopicPartition: CommittedOffset]
    ) -> [TopicPartition: KafkaErrorCode] {
        let now = clock.now()
        let offsets = offsets.mapValues { CommittedOffset(offset: $0.offset, metadata: $0.metadata, commitTimestamp: $0.commitTimestamp ?? now) }
        while true {
            let step = state.withLock { state -> CommitStep in
                if let turn = state.savingOffsets.wait(for: groupId) { return .wait(turn) }
                let known = offsets.filter { (try? state.partition($0.key.topic, $0.key.partition)) != nil }
                var coordinator = state.coordinator
                var result = coordinator.commit(groupId: groupId, memberId: memberId, generationId: generationId, offsets: known)
                for partition in offsets.keys where known[partition] == nil { result[partition] = .unknownTopicOrPartition }
                guard result.values.contains(.none) else { return .done(result, state.waiters.takeGroup(groupId)) }
                state.savingOffsets.take(groupId)
                let accepted = known.filter { result[$0.key] == KafkaErrorCode.none }
                return .save(result, accepted, state.stored(coordinator.committedOffsets(groupId: groupId), group: groupId))
            }
            switch step {
            case .wait(let turn):
                turn.wait()
            case .done(let result, let callbacks):
                callbacks.forEach { $0() }
                return result
            case .save(var result, let accepted, let all):
                let saved = Result { () throws(BrokerError) in try offsetsStorage.save(all, group: groupId) }
                let (callbacks, turns) = state.withLock { state in
                    let turns = state.savingOffsets.give(groupId)
                    if case .success = saved { state.coordinator.record(accepted, groupId: groupId) }
                    return (state.waiters.takeGroup(groupId), turns)
                }
                turns.forEach { $0.signal() }
                callbacks.forEach { $0() }
                if case .failure(let error) = saved {
                    result = result.mapValues { $0 == .unknownTopicOrPartition ? $0 : error.code }
                }
                return result
            }
        }
    }

    /// The group's committed offsets (empty for a group that never committed).
    public func committedOffsets(groupId: String) -> [TopicPartition: CommittedOffset] {
        state.withLock { $0.coordinator.committedOffsets(groupId: groupId) }
    }

    /// The coordinator's own view of a group (members with their protocol bytes), or nil.
    public func coordinatedGroup(_ groupId: String) -> ConsumerGroup? {
        state.withLock { $0.coordinator.groups[groupId] }
    }

    /// Every group, in id order.
    public func groups() -> [GroupDescription] {
        state.withLock { state in state.coordinator.groups.keys.sorted().map { state.describe($0)! } }
    }

    /// Members, assignment, committed offsets and lag of one group.
    ///
    /// - Throws: `GROUP_ID_NOT_FOUND` naming the groups that exist.
    public func describeGroup(_ groupId: String) throws(BrokerError) -> GroupDescription {
        try state.withLock { state throws(BrokerError) in
            guard let description = state.describe(groupId) else {
                throw BrokerError(.groupIdNotFound, "group '\(groupId)' does not exist; \(state.coordinator.knownGroupsHint)")
            }
            return description
        }
    }

    /// Moves a group's committed offsets on the partitions `scope` names, as
    /// `kafka-consumer-groups --reset-offsets` does. With `execute` false it only says what it
    /// would do. A group that does not exist yet is positioned before it consumes (its
    /// committed offsets are created). New offsets are clamped to each partition's log start
    /// and log end; each ``OffsetReset`` keeps the offset asked for.
    ///
    /// - Throws: `NON_EMPTY_GROUP` while the group has members; `UNKNOWN_TOPIC_OR_PARTITION`
    ///   for a topic or partition that does not exist; `GROUP_ID_NOT_FOUND` for `allTopics` on
    ///   a group with no committed offsets; `INVALID_REQUEST` to shift a partition with none.
    public func resetOffsets(
        groupId: String, scope: OffsetResetScope, to target: OffsetResetTarget, execute: Bool
    ) throws(BrokerError) -> [OffsetReset] {
        // A commit being written must not land after the reset.
        try waitingForTurns({ $0.savingOffsets.wait(for: groupId) }) { state throws(BrokerError) in
            let group = state.coordinator.groups[groupId]
            if let group, group.state != .empty {
                throw BrokerError(
                    .nonEmptyGroup,
                    "Assignments can only be reset if the group '\(groupId)' is inactive, but the current state is \(group.state.rawValue) (\(group.members.count) member(s)): stop its consumers first")
            }
            let offsets = group?.offsets ?? [:]
            var partitions: [TopicPartition] = []
            switch scope {
            case .allTopics:
                guard !offsets.isEmpty else {
                    throw BrokerError(
                        .groupIdNotFound,
                        "group '\(groupId)' has no committed offsets, so --all-topics names nothing to reset; --topic T positions it on T before it consumes")
                }
                partitions = offsets.keys.sorted()
            case .topics(let selections):
                for selection in selections {
                    let count = try state.topic(selection.topic).1.partitions.count
                    for index in selection.partitions ?? (0..<Int32(count)).map({ $0 }) {
                        _ = try state.partition(selection.topic, index)
                        partitions.append(TopicPartition(selection.topic, index))
                    }
                }
                partitions = Set(partitions).sorted()
            }
            if case .shift = target {
                let missing = partitions.filter { offsets[$0] == nil }
                if !missing.isEmpty {
                    throw BrokerError(
                        .invalidRequest,
                        "Cannot shift offset for partition \(missing.map { "\($0.topic)-\($0.partition)" }.joined(separator: ", ")) since there is no current committed offset; move it with --to earliest, latest, offset N or time T")
                }
            }
            var plan: [OffsetReset] = []
            for partition in partitions {
                let replicated = try state.leading(partition.topic, partition.partition).1
                let (log, end) = (replicated.log, replicated.highWatermark)
                let previous = offsets[partition]?.offset
                let wanted: Int64 = switch target {
                case .earliest: log.logStartOffset
                case .latest: end
                case .offset(let offset): offset
                case .time(let time): min(try log.offset(atOrAfter: time) ?? end, end)
                case .shift(let delta): previous!.addingSaturating(delta)
                }
                let clamped = min(max(wanted, log.logStartOffset), end)
                plan.append(OffsetReset(topicPartition: partition, previousOffset: previous, requestedOffset: wanted, newOffset: clamped))
            }
            if execute {
                var coordinator = state.coordinator
                try coordinator.resetOffsets(
                    groupId: groupId, to: Dictionary(uniqueKeysWithValues: plan.map { ($0.topicPartition, $0.newOffset) }),
                    commitTimestamp: clock.now())
                try offsetsStorage.save(state.stored(coordinator.committedOffsets(groupId: groupId), group: groupId), group: groupId)
                state.coordinator = coordinator
            }
            return plan
        }
    }
}

/// Where an offset commit stands after its turn under the lock.
private enum CommitStep {
    /// The group's last commit is being written: wait, then try again.
    case wait(DispatchSemaphore)
    /// Answered without writing: nothing was accepted.
    case done([TopicPartition: KafkaErrorCode], [@Sendable () -> Void])
    /// Accepted: the answers, the offsets accepted, and the group's offsets to write.
    case save([TopicPartition: KafkaErrorCode], [TopicPartition: CommittedOffset], StoredGroupOffsets)
}

extension BrokerState {
    mutating func makeTicket(_ reply: PendingReply) -> ReplyTicket {
        nextTicket += 1
        let ticket = ReplyTicket(nextTicket)
        pendingGroupReplies[ticket] = reply
        return ticket
    }

    /// Turns coordinator replies into calls to make once the lock is released, plus the group's
    /// change waiters.
    mutating func deliver(_ replies: [GroupReply], group: String?, changed: Bool = true) -> [@Sendable () -> Void] {
        var calls: [@Sendable () -> Void] = []
        for reply in replies {
            switch reply {
            case .join(let ticket, let response):
                if case .join(let callback) = pendingGroupReplies.removeValue(forKey: ticket) {
                    calls.append { callback(response) }
                }
            case .sync(let ticket, let response):
                if case .sync(let callback) = pendingGroupReplies.removeValue(forKey: ticket) {
                    calls.append { callback(response) }
                }
            }
        }
        if changed, let group { calls += waiters.takeGroup(group) }
        return calls
    }

    func describe(_ groupId: String) -> GroupDescription? {
        guard let group = coordinator.groups[groupId] else { return nil }
        let isConsumer = group.protocolType == "consumer"
        let members = group.members.map { member in
            MemberDescription(
                memberId: member.id, clientId: member.clientId,
                assignment: isConsumer ? ((try? ConsumerProtocol.Assignment(decoding: member.assignment))?.partitions.sorted() ?? []) : [])
        }
        var owners: [TopicPartition: String] = [:]
        for member in members { member.assignment.forEach { owners[$0] = member.memberId } }
        let partitions = Set(group.offsets.keys).union(owners.keys).sorted().map { partition in
            PartitionLag(
                topicPartition: partition, committedOffset: group.offsets[partition]?.offset,
                logEndOffset: (try? leading(partition.topic, partition.partition).1.highWatermark) ?? 0,
                memberId: owners[partition])
        }
        return GroupDescription(
            groupId: groupId, state: group.state, protocolType: group.protocolType, protocolName: group.protocolName,
            generation: group.generation, leaderId: group.leaderId, members: members, partitions: partitions)
    }
}
