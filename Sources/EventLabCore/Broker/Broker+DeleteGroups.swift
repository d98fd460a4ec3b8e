extension Broker {
    /// Deletes a consumer group with its committed offsets, as Kafka's DeleteGroups
    /// (`kafka-consumer-groups --delete`) does: only a group without members. The offsets file
    /// no longer holds the group once this returns; a consumer that joins under its name later
    /// starts a new group, positioned by its `auto.offset.reset`.
    ///
    /// - Returns: the partitions the group had committed offsets on, in order.
    /// - Throws: `INVALID_GROUP_ID` for an empty id; `GROUP_ID_NOT_FOUND` for a group that
    ///   does not exist (no members and no committed offsets); `NON_EMPTY_GROUP` while it has
    ///   members; a storage error. Nothing is changed then.
    @discardableResult
    public func deleteGroup(_ groupId: String) throws(BrokerError) -> [TopicPartition] {
        // A commit being written must not land after the deletion.
        let (removed, callbacks) = try waitingForTurns({ $0.savingOffsets.wait(for: groupId) }) { state throws(BrokerError) in
            let group = try state.existingGroup(groupId)
            guard group.state == .empty else {
                throw BrokerError(
                    .nonEmptyGroup,
                    "group '\(groupId)' cannot be deleted: it is \(group.state.rawValue) with \(group.members.count) member(s), and Kafka deletes only a group without members: stop its consumers first")
            }
            var coordinator = state.coordinator
            coordinator.removeGroup(groupId)
            try offsetsStorage.save(StoredGroupOffsets(offsets: [:], presence: .neverHadMembers), group: groupId)
            state.coordinator = coordinator
            state.presence[groupId] = nil
            return (group.offsets.keys.sorted(), state.waiters.takeGroup(groupId))
        }
        callbacks.forEach { $0() }
        return removed
    }

    /// Deletes a group's committed offsets on `partitions`, as Kafka's OffsetDelete (KIP-496,
    /// `kafka-consumer-groups --delete-offsets`) does, and answers per partition: `NONE` where
    /// the offset is gone (or there was none), `GROUP_SUBSCRIBED_TO_TOPIC` where a member of the
    /// consumer group subscribes to the partition's topic (it would commit there again),
    /// `UNKNOWN_TOPIC_OR_PARTITION` where the topic or partition does not exist. The offsets
    /// file no longer holds them once this returns; a group left without members and offsets is
    /// gone.
    ///
    /// - Throws: `INVALID_GROUP_ID` for an empty id; `GROUP_ID_NOT_FOUND` for a group that does
    ///   not exist; `NON_EMPTY_GROUP` for a group with members that is not a consumer group
    ///   (its subscriptions cannot be read); a storage error. Nothing is changed then.
    public func deleteOffsets(groupId: String, partitions: [TopicPartition]) throws(BrokerError) -> [TopicPartition: KafkaErrorCode] {
        let now = clock.now()
        let (result, callbacks) = try waitingForTurns({ $0.savingOffsets.wait(for: groupId) }) { state throws(BrokerError) in
            let group = try state.existingGroup(groupId)
            if group.state != .empty && group.protocolType != ConsumerGroup.consumerProtocolType {
                throw BrokerError(
                    .nonEmptyGroup,
                    "group '\(groupId)' has \(group.members.count) member(s) of protocol type '\(group.protocolType ?? "")', whose subscriptions Kafka cannot read: stop its members before deleting its offsets")
            }
            var result: [TopicPartition: KafkaErrorCode] = [:]
            for partition in partitions {
                if (try? state.partition(partition.topic, partition.partition)) == nil {
                    result[partition] = .unknownTopicOrPartition
                } else if group.state != .empty && group.isSubscribed(to: partition.topic) {
                    result[partition] = .groupSubscribedToTopic
                } else {
                    result[partition] = KafkaErrorCode.none
                }
            }
            let deleted = result.filter { $0.value == .none && group.offsets[$0.key] != nil }.keys
            guard !deleted.isEmpty else { return (result, [@Sendable () -> Void]()) }
            var coordinator = state.coordinator
            coordinator.removeOffsets(Array(deleted), groupId: groupId)
            try offsetsStorage.save(state.stored(coordinator.committedOffsets(groupId: groupId), group: groupId), group: groupId)
            state.coordinator = coordinator
            _ = state.notePresence(of: [groupId], now: now)
            return (result, state.waiters.takeGroup(groupId))
        }
        callbacks.forEach { $0() }
        return result
    }
}

extension BrokerState {
    /// The group called `groupId`, for calls that change an existing group.
    ///
    /// - Throws: `INVALID_GROUP_ID` for an empty id; `GROUP_ID_NOT_FOUND` naming the groups
    ///   that exist.
    func existingGroup(_ groupId: String) throws(BrokerError) -> ConsumerGroup {
        guard !groupId.isEmpty else {
            throw BrokerError(.invalidGroupId, "a group id cannot be empty: name the group, as `group list` shows it")
        }
        guard let group = coordinator.groups[groupId] else {
            throw BrokerError(.groupIdNotFound, "group '\(groupId)' does not exist; \(coordinator.knownGroupsHint)")
        }
        return group
    }
}

extension ConsumerGroup {
    /// The protocol type of Kafka's consumers, whose subscriptions the broker can read.
    static let consumerProtocolType = "consumer"

    /// Whether a member subscribes to `topic`, as Kafka's coordinator decides it: from every
    /// member's subscription under the chosen protocol. While none is chosen yet, or when one
    /// cannot be read, every topic counts as subscribed, so no offset a member uses is deleted.
    func isSubscribed(to topic: String) -> Bool {
        guard let protocolName else { return true }
        return members.contains { member in
            guard let metadata = member.protocols.first(where: { $0.name == protocolName })?.metadata,
                  let subscription = try? ConsumerProtocol.Subscription(decoding: metadata)
            else { return true }
            return subscription.topics.contains(topic)
        }
    }
}
