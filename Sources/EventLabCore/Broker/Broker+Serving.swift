import Synchronization

/// Who leads a partition now: what a broker answering a client checks before it serves a
/// partition, and what Metadata tells clients.
public struct PartitionLeadership: Hashable, Sendable {
    /// The broker leading it; nil while it is offline.
    public var leader: Int32?
    /// The leader's epoch: it grows at each election.
    public var leaderEpoch: Int32
    /// Its replicas, the preferred leader first.
    public var replicas: [Int32]
    /// The replicas in sync with the leader.
    public var isr: [Int32]
}

extension Broker {
    /// Who leads partition `partition` of `topic`, in which epoch, and with which replicas.
    ///
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION` for a topic or partition that does not exist.
    public func leadership(_ topic: String, partition: Int32) throws(BrokerError) -> PartitionLeadership {
        try state.withLock { state throws(BrokerError) in
            let partition = try state.replicated(topic, partition).1
            return PartitionLeadership(leader: partition.leader, leaderEpoch: partition.leaderEpoch, replicas: partition.replicas, isr: partition.isr)
        }
    }

    /// The broker coordinating group `groupId`: the one its members join, heartbeat to and
    /// commit offsets to. As in Kafka, it leads the group's partition of `__consumer_offsets`
    /// (``OffsetsTopic``), whose replicas were placed once, over the brokers the cluster was
    /// created with: a broker added later coordinates no group, and no coordinator moves when
    /// one joins. A workspace made with one broker and grown to three keeps the whole topic on
    /// broker 1 (replication factor 1), exactly as Kafka would have created it then. When the
    /// coordinator's broker goes down it moves to the partition's next live replica, as that
    /// partition's leadership would; when the preferred replica's broker starts again it stays
    /// put until the preferred-leader check (``electPreferredLeaders()``) moves it back. Nothing
    /// moves with it: committed offsets live in the workspace, read by every broker. Nil while
    /// none of the partition's replicas is alive, where Kafka answers COORDINATOR_NOT_AVAILABLE;
    /// the first of them to start again leads.
    public func coordinator(forGroup groupId: String) -> Int32? {
        state.withLock { $0.offsetsTopic.leader(forGroup: groupId) }
    }

    /// Calls `done` once the acks=all write to `partition` of `topic` whose last record is at
    /// `offset`, appended in leader epoch `leaderEpoch`, is acknowledged (success) or cannot be:
    /// `NOT_ENOUGH_REPLICAS_AFTER_APPEND`, `NOT_LEADER_OR_FOLLOWER` once the leader changed, or
    /// `REQUEST_TIMED_OUT` after `timeoutMs` of real time, or `UNKNOWN_TOPIC_OR_PARTITION` once
    /// the topic is deleted. Kafka's DelayedProduce. `done` is called once, outside the broker's
    /// lock: at once if the write is settled already.
    ///
    /// - Returns: a way to forget the wait without calling `done` (the server is stopping).
    public func whenAcknowledged(
        _ topic: String, partition: Int32, through offset: Int64, leaderEpoch: Int32, timeoutMs: Int64,
        _ done: @escaping @Sendable (Result<Void, BrokerError>) -> Void
    ) -> @Sendable () -> Void {
        waitForAcknowledgement(TopicPartition(topic, partition), through: offset, leaderEpoch: leaderEpoch, timeoutMs: timeoutMs, done)
    }

    /// Calls `callback` after every change to the cluster's brokers — one added, stopped, killed,
    /// started, paused or resumed — outside the broker's lock: the server opens and closes their
    /// ports.
    public func whenBrokersChange(_ callback: @escaping @Sendable () -> Void) {
        brokerWatchers.withLock { $0.append(callback) }
    }

    /// Tells whoever watches the brokers that they changed.
    func brokersChanged() {
        brokerWatchers.withLock { $0 }.forEach { $0() }
    }
}

extension BrokerState {
    /// Checks that broker `node` leads partition `index` of topic `name`.
    ///
    /// - Throws: `NOT_LEADER_OR_FOLLOWER` naming the leader, as Kafka answers a client whose
    ///   metadata is stale; what ``replicated(_:_:)`` throws.
    func checkLeads(_ node: Int32, _ name: String, _ index: Int32) throws(BrokerError) {
        let partition = try replicated(name, index).1
        guard partition.leader != node else { return }
        let leader = partition.leader.map { "broker \($0) leads it (epoch \(partition.leaderEpoch))" } ?? "it has no leader now"
        throw BrokerError(.notLeaderOrFollower, "broker \(node) does not lead \(name) p\(index): \(leader); a client refreshes its metadata and sends there")
    }
}
