/// Where a partition is being moved, as kafka-reassign-partitions asks: the new replicas are
/// added and catch up first; once all are in sync the lead moves if its broker is leaving, and
/// the leaving replicas are removed.
struct Reassignment: Equatable {
    /// The replicas it ends with, in preference order.
    var target: [Int32]
    /// The replicas it adds: Kafka's `adding_replicas`.
    var adding: [Int32]
}

extension ReplicatedPartition {
    /// The replicas a reassignment will remove: Kafka's `removing_replicas`.
    var removing: [Int32] { reassignment.map { moving in replicas.filter { !moving.target.contains($0) } } ?? [] }

    /// Begins moving the partition to `target`: each new replica gets an empty copy (made by
    /// `makeCopy`) and fetches from the leader like any follower; meanwhile the replica set is
    /// the target followed by the replicas leaving.
    mutating func beginReassignment(to target: [Int32], now: Int64, makeCopy: (Int32) throws(BrokerError) -> PartitionLog) throws(BrokerError) {
        let adding = target.filter { !replicas.contains($0) }
        var made: [Int32: PartitionLog] = [:]
        for broker in adding { made[broker] = try makeCopy(broker) }
        for (broker, copy) in made {
            copies[broker] = copy
            caughtUpAt[broker] = now
        }
        replicas = target + replicas.filter { !target.contains($0) }
        reassignment = Reassignment(target: target, adding: adding)
    }

    /// Ends the reassignment once every target replica is in sync: elects a leader from the
    /// target if the leader is leaving, then drops the leaving replicas.
    ///
    /// - Returns: the replicas removed, whose copies are to be deleted, and what changed; nil
    ///   while the reassignment must wait.
    mutating func finishReassignment(isAlive: (Int32) -> Bool, now: Int64) throws(BrokerError) -> (removed: [Int32], events: [ClusterEvent])? {
        guard let target = reassignment?.target, leader != nil, target.allSatisfy(isr.contains) else { return nil }
        let removed = removing
        var events: [ClusterEvent] = []
        if let leader, removed.contains(leader) {
            isr.removeAll { removed.contains($0) }
            events += try elect(isAlive: isAlive, unclean: false, reason: .reassigned, now: now)
        }
        for broker in removed {
            copies[broker] = nil
            forgetHistory(of: broker)
            unflushed[broker] = nil
            caughtUpAt[broker] = nil
        }
        replicas = target
        isr = target.filter(isr.contains)
        reassignment = nil
        advanceHighWatermark()
        events.append(.reassigned(id, replicas: target, removed: removed))
        return (removed, events)
    }
}
