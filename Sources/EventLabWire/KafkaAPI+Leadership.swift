import EventLabCore

/// What this broker checks before it serves a partition to a client, as Kafka's ReplicaManager
/// and Partition check it: that it leads the partition, in the epoch the client names.
extension KafkaAPI {
    /// Partition `partition` of `topic`, if this broker may serve it as its leader to a client
    /// that names `currentLeaderEpoch` as the partition's (-1: names none).
    ///
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION` for a partition the cluster does not know;
    ///   `NOT_LEADER_OR_FOLLOWER` from a broker that is not its leader, after the epoch check
    ///   when it holds a replica (Kafka checks the epoch first); `FENCED_LEADER_EPOCH` for an
    ///   epoch older than the partition's, `UNKNOWN_LEADER_EPOCH` for a newer one.
    @discardableResult
    func leading(_ topic: String, _ partition: Int32, currentLeaderEpoch: Int32 = -1) throws(BrokerError) -> PartitionLeadership {
        let leadership = try broker.leadership(topic, partition: partition)
        if leadership.replicas.contains(nodeId) {
            try Self.checkEpoch(currentLeaderEpoch, of: leadership, topic, partition)
        }
        guard leadership.leader == nodeId else {
            let leader = leadership.leader.map { "broker \($0) leads it" } ?? "it has no leader now"
            throw BrokerError(.notLeaderOrFollower,
                "broker \(nodeId) does not lead \(topic) p\(partition): \(leader) (epoch \(leadership.leaderEpoch)); refresh the metadata and send there")
        }
        return leadership
    }

    /// Checks the epoch a client names against the partition's: -1 names none.
    private static func checkEpoch(_ epoch: Int32, of leadership: PartitionLeadership, _ topic: String, _ partition: Int32) throws(BrokerError) {
        guard epoch != -1, epoch != leadership.leaderEpoch else { return }
        if epoch > leadership.leaderEpoch {
            throw BrokerError(.unknownLeaderEpoch,
                "\(topic) p\(partition) is in leader epoch \(leadership.leaderEpoch), not yet \(epoch): this broker has not heard of the newer leader; retry")
        }
        throw BrokerError(.fencedLeaderEpoch,
            "\(topic) p\(partition) is in leader epoch \(leadership.leaderEpoch), past \(epoch): refresh the metadata for the current leader")
    }

    /// Whether `error` says the partition is served elsewhere or in another epoch: an answer
    /// with it carries no offsets, as Kafka's.
    static func isLeadershipError(_ error: BrokerError) -> Bool {
        [.notLeaderOrFollower, .fencedLeaderEpoch, .unknownLeaderEpoch].contains(error.code)
    }
}
