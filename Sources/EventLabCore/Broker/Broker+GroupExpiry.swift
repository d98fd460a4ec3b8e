extension Broker {
    /// Expires members whose sessions ran out and rebalances that waited too long, then sets
    /// the group alarm for the next such deadline. Runs on the scheduler's real time, so
    /// groups expire with or without a network server, whatever the broker clock.
    func expireGroups() {
        let now = timer.elapsedMilliseconds()
        let time = clock.now()
        let (deliveries, next, emptied) = state.withLock { state in
            let before = state.coordinator.groups
            let replies = state.coordinator.tick(now: now)
            let changed = Set(before.keys).union(state.coordinator.groups.keys).filter {
                before[$0] != state.coordinator.groups[$0]
            }
            let emptied = state.notePresence(of: changed.sorted(), now: time)
            let deliveries = state.deliver(replies, group: nil) + changed.flatMap { state.waiters.takeGroup($0) }
            return (deliveries, state.coordinator.nextDeadline, emptied)
        }
        armGroupExpiry(by: next)
        saveEmptied(emptied)
        deliveries.forEach { $0() }
    }

    /// Makes ``expireGroups()`` run by `deadline`, a reading of the broker's timer.
    func armGroupExpiry(by deadline: Int64?) {
        groupAlarm.ring(by: deadline) { [weak self] in self?.expireGroups() }
    }
}
