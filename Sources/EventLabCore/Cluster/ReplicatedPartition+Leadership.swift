extension ReplicatedPartition {
    /// Takes `broker`, which died or is stopping, out of the partition: out of the ISR (unless it
    /// is the last member, which stays so that it leads again when it returns), and out of the
    /// lead, electing an in-sync replica that `isAlive` says is up — or, when none is and
    /// `unclean` allows it, any live replica, losing what it lacks.
    ///
    /// - Returns: what changed.
    mutating func remove(
        _ broker: Int32, isAlive: (Int32) -> Bool, unclean: Bool, reason: ElectionReason, now: Int64
    ) throws(BrokerError) -> [ClusterEvent] {
        guard replicas.contains(broker) else { return [] }
        if leader == broker {
            let wasIsr = isr
            isr.removeAll { $0 == broker || !isAlive($0) }
            if isr.isEmpty { isr = wasIsr.filter { $0 == broker } }
            return try elect(isAlive: isAlive, unclean: unclean, reason: reason, now: now)
        }
        guard isr.contains(broker) else { return [] }
        isr.removeAll { $0 == broker }
        advanceHighWatermark()
        return [.isrShrank(id, removed: broker, isr: isr, behindMs: nil)]
    }

    /// Elects a leader among the live members of the ISR, in preference order; with none, and
    /// `unclean` allowed, the first live replica, whose log end becomes the high watermark if it
    /// is lower (the acknowledged records above it are lost); otherwise the partition goes offline.
    /// The live followers then truncate to the new leader's log.
    mutating func elect(isAlive: (Int32) -> Bool, unclean: Bool, reason: ElectionReason, now: Int64) throws(BrokerError) -> [ClusterEvent] {
        if let next = replicas.first(where: { isr.contains($0) && isAlive($0) }) {
            return try lead(next, isr: isr.filter(isAlive), reason: reason, isAlive: isAlive, now: now)
        }
        if unclean, let next = replicas.first(where: isAlive) {
            let divergence = try divergence(of: next, from: lastLeader)
            let lost = divergence < highWatermark ? divergence..<highWatermark : divergence..<divergence
            highWatermark = min(highWatermark, divergence)
            return try lead(next, isr: [next], reason: .unclean(lost: lost), isAlive: isAlive, now: now)
        }
        guard leader != nil else { return [] }
        // As Kafka's controller, the epoch moves with the leader gone too.
        leader = nil
        leaderEpoch += 1
        // A last in-sync replica that lost power holds less than it acknowledged: that is all there is.
        highWatermark = min(highWatermark, isr.compactMap { copies[$0]?.logEndOffset }.max() ?? highWatermark)
        return [.wentOffline(id, isr: isr)]
    }

    /// Makes `broker` the leader in a new epoch with `isr`, and truncates the live followers.
    private mutating func lead(
        _ broker: Int32, isr newIsr: [Int32], reason: ElectionReason, isAlive: (Int32) -> Bool, now: Int64
    ) throws(BrokerError) -> [ClusterEvent] {
        leader = broker
        lastLeader = broker
        leaderEpoch += 1
        isr = replicas.filter { newIsr.contains($0) }
        // Only a power loss of every in-sync replica leaves the new leader short of the high watermark.
        highWatermark = min(highWatermark, copies[broker]!.logEndOffset)
        // A new leader counts its followers' lag from now, as Kafka's does.
        for follower in replicas where follower != broker { caughtUpAt[follower] = now }
        var events: [ClusterEvent] = [.leaderElected(id, leader: broker, epoch: leaderEpoch, isr: isr, reason: reason)]
        for follower in replicas where follower != broker && isAlive(follower) {
            if let truncated = try truncate(follower) { events.append(truncated) }
        }
        advanceHighWatermark()
        return events
    }

    /// Brings `broker`'s copy back as a follower after its broker started: it truncates to its
    /// leader's log; if the partition had no leader and `broker` was its last in-sync replica (or
    /// `unclean` allows any), it leads.
    mutating func rejoin(_ broker: Int32, isAlive: (Int32) -> Bool, unclean: Bool, now: Int64) throws(BrokerError) -> [ClusterEvent] {
        guard replicas.contains(broker) else { return [] }
        guard leader != nil else {
            if isr.contains(broker) { return try elect(isAlive: isAlive, unclean: false, reason: .cameBack, now: now) }
            return unclean ? try elect(isAlive: isAlive, unclean: true, reason: .cameBack, now: now) : []
        }
        return try truncate(broker).map { [$0] } ?? []
    }

    /// Where `replica`'s log stops agreeing with `previous`'s (the last leader's): its own end,
    /// or earlier where it holds records of an epoch the last leader's log moved on from. An
    /// unclean election loses every acknowledged offset from there.
    private mutating func divergence(of replica: Int32, from previous: Int32) throws(BrokerError) -> Int64 {
        let end = copies[replica]!.logEndOffset
        guard previous != replica, let previousLog = copies[previous] else { return end }
        return min(end, try agreedEnd(of: replica, with: previous, leaderEnd: previousLog.logEndOffset, fallback: previousLog.logStartOffset))
    }

    /// Where `replica`'s log and `other`'s stop agreeing, as KIP-279's OffsetsForLeaderEpoch
    /// exchange finds it: `replica` asks where its latest epoch ends in `other`'s log; when
    /// `other` answers with an older epoch, `replica` asks again with its own largest epoch at or
    /// below that one, until both name the same epoch. With no epoch in common, nothing agrees
    /// past `fallback` (or where `other`'s first epoch starts, if earlier).
    private mutating func agreedEnd(of replica: Int32, with other: Int32, leaderEnd: Int64, fallback: Int64) throws(BrokerError) -> Int64 {
        let own = try epochCache(replica)
        let theirs = try epochCache(other)
        let end = copies[replica]!.logEndOffset
        guard var epoch = own.latestEpoch else { return end }
        while true {
            guard let answer = theirs.end(of: epoch, logEnd: leaderEnd) else {
                return min(fallback, theirs.entries.first?.start ?? fallback)
            }
            guard let mine = own.end(of: answer.epoch, logEnd: end) else {
                // Every epoch it wrote in is one the other never had.
                return own.entries[0].start
            }
            if mine.epoch == answer.epoch { return min(answer.end, mine.end) }
            epoch = mine.epoch
        }
    }

    /// Cuts `follower`'s copy back to where its latest epoch ends in the leader's log (KIP-279):
    /// what it has past that point the leader never had.
    ///
    /// - Returns: the truncation, if anything was removed.
    mutating func truncate(_ follower: Int32) throws(BrokerError) -> ClusterEvent? {
        guard let leader, follower != leader, let copy = copies[follower], let leaderLog = copies[leader] else { return nil }
        let end = copy.logEndOffset
        let target = min(end, try agreedEnd(of: follower, with: leader, leaderEnd: leaderLog.logEndOffset, fallback: min(highWatermark, leaderLog.logStartOffset)))
        guard target < end else { return nil }
        try copy.storage.truncate(to: target)
        epochs[follower]?.truncate(from: target)
        producerStates[follower] = nil
        return .truncated(id, broker: follower, removed: copy.logEndOffset..<end, leader: leader, epoch: leaderEpoch)
    }

    /// Cuts `broker`'s copy back to what its page cache had flushed by `now`: what a power loss
    /// leaves on disk.
    mutating func losePower(_ broker: Int32, now: Int64, dirtyExpireMs: Int64) throws(BrokerError) -> ClusterEvent? {
        guard let copy = copies[broker], let writes = unflushed.removeValue(forKey: broker) else { return nil }
        guard let first = writes.first(where: { now.subtractingSaturating($0.time) < dirtyExpireMs }) else { return nil }
        let end = copy.logEndOffset
        guard first.start < end else { return nil }
        try copy.storage.truncate(to: first.start)
        forgetHistory(of: broker)
        return .lostUnflushed(id, broker: broker, removed: copy.logEndOffset..<end)
    }

    /// Moves the lead back to the preferred replica when it is alive and in sync.
    mutating func electPreferred(isAlive: (Int32) -> Bool, now: Int64) throws(BrokerError) -> [ClusterEvent] {
        let preferred = replicas[0]
        guard leader != preferred, leader != nil, isr.contains(preferred), isAlive(preferred) else { return [] }
        return try lead(preferred, isr: isr, reason: .preferred, isAlive: isAlive, now: now)
    }
}
