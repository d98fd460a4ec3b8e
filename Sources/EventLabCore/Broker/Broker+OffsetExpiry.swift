extension Broker {
    /// The label of the offsets retention check in ``Scheduler/pending(_:)``.
    public static let offsetsRetentionLabel = "offsets retention check"

    /// Schedules the offsets retention check on the broker clock, every
    /// `offsets.retention.check.interval.ms`: on the logical clock it runs as `clock advance`
    /// passes each due time. Each group whose offsets it removed is posted to ``notices``.
    func scheduleOffsetsRetention() {
        let interval = config.offsetsRetentionCheckIntervalMs
        // Weak: the scheduler belongs to the broker (see scheduleCleaning).
        scheduler.schedule(Self.offsetsRetentionLabel, in: .broker, after: interval, every: interval) { [weak self] in
            guard let self else { return }
            for expiry in expireOffsets() { notices.post(.offsetsExpired(expiry)) }
        }
    }

    /// Removes, now, the committed offsets that `offsets.retention.minutes` has run out for, by
    /// Kafka's rule (KIP-211): in a group without members, counted from when its last member
    /// left, or, in a group that never had members, from each offset's commit. A group with
    /// members keeps them. Each group's removal takes the group's turn to write the offsets
    /// file, so it never races a commit.
    ///
    /// - Returns: what was removed, per group, in id order. A group whose offsets file could not
    ///   be written keeps its offsets, and the next check tries again.
    @discardableResult
    public func expireOffsets() -> [OffsetsExpiry] {
        let now = clock.now()
        let retentionMs = config.offsetsRetentionMs
        let due = state.withLock { state in
            state.isClosed ? [] : state.coordinator.groups.keys.sorted().filter { !state.expiredOffsets(of: $0, now: now, retentionMs: retentionMs).isEmpty }
        }
        return due.compactMap { group in
            try? waitingForTurns({ $0.savingOffsets.wait(for: group) }) { state throws(BrokerError) -> OffsetsExpiry? in
                let presence = state.presence(of: group)
                let partitions = state.expiredOffsets(of: group, now: now, retentionMs: retentionMs)
                guard !state.isClosed, !partitions.isEmpty else { return nil }
                var coordinator = state.coordinator
                coordinator.removeOffsets(partitions, groupId: group)
                try offsetsStorage.save(state.stored(coordinator.committedOffsets(groupId: group), group: group), group: group)
                state.coordinator = coordinator
                if coordinator.groups[group] == nil { state.presence[group] = nil }
                return OffsetsExpiry(
                    at: now, group: group, partitions: partitions, presence: presence,
                    retentionMinutes: config.offsetsRetentionMinutes)
            }
        }
    }

    /// Writes the groups in `emptied`, which just lost their last member, so the time they
    /// became empty survives a restart. A failed write is not the leave's failure: the file
    /// keeps what it had, and the group's next write brings it up to date.
    func saveEmptied(_ emptied: [String]) {
        for group in emptied {
            try? waitingForTurns({ $0.savingOffsets.wait(for: group) }) { state throws(BrokerError) in
                guard !state.isClosed, let offsets = state.coordinator.groups[group]?.offsets, !offsets.isEmpty else { return }
                try offsetsStorage.save(state.stored(offsets, group: group), group: group)
            }
        }
    }
}

extension BrokerState {
    /// Whether `group` has members now, or since when it has none.
    func presence(of group: String) -> GroupPresence {
        if let members = coordinator.groups[group]?.members, !members.isEmpty { return .hasMembers }
        return presence[group] ?? .neverHadMembers
    }

    /// `offsets` of `group` as storage keeps them.
    func stored(_ offsets: [TopicPartition: CommittedOffset], group: String) -> StoredGroupOffsets {
        StoredGroupOffsets(offsets: offsets, presence: presence(of: group))
    }

    /// The partitions whose committed offsets in `group` have expired at `now`.
    func expiredOffsets(of group: String, now: Int64, retentionMs: Int64) -> [TopicPartition] {
        OffsetRetention.expired(coordinator.committedOffsets(groupId: group), presence: presence(of: group), now: now, retentionMs: retentionMs)
    }

    /// Notes, after a membership change in `groups`, which have members; a group that just lost
    /// its last member is empty from `now` (broker clock).
    ///
    /// - Returns: the groups that just became empty and keep offsets, to write.
    mutating func notePresence(of groups: some Sequence<String>, now: Int64) -> [String] {
        var emptied: [String] = []
        for id in groups {
            guard let group = coordinator.groups[id] else {
                presence[id] = nil
                continue
            }
            if !group.members.isEmpty {
                presence[id] = .hasMembers
            } else if presence[id] == .hasMembers {
                presence[id] = .emptySince(now)
                if !group.offsets.isEmpty { emptied.append(id) }
            }
        }
        return emptied
    }
}
