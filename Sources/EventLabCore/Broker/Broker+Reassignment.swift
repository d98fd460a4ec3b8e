extension Broker {
    /// Moves partition `partition` of `topic` to the brokers `replicas` (preference order), as
    /// kafka-reassign-partitions does: the new replicas get empty copies and fetch from the
    /// leader; once all of them are in sync, the lead moves if its broker is leaving and the
    /// leaving replicas' copies are deleted. The replication factor may change on the way.
    ///
    /// - Returns: what changed: the reassignment began (its end follows, in the events of the
    ///   fetch that brings the last new replica in sync, or as a notice).
    /// - Throws: `INVALID_REPLICA_ASSIGNMENT` for an empty or repeated list, an unknown broker,
    ///   or a new replica on a broker that is down, or a partition already being moved; what
    ///   the storage throws making a copy. Nothing changes then.
    public func reassign(_ topic: String, partition index: Int32, to replicas: [Int32]) throws(BrokerError) -> [ClusterEvent] {
        let now = clock.now()
        let events = try changingCluster { state throws(BrokerError) in
            let (topicState, partition) = try state.replicated(topic, index)
            let name = try TopicName(topic)
            let known = state.nodes.keys.sorted().map(String.init).joined(separator: ", ")
            guard !replicas.isEmpty, Set(replicas).count == replicas.count else {
                throw BrokerError(.invalidReplicaAssignment, "give each broker once, such as --replicas 1,2,3 (the first is the preferred leader)")
            }
            for broker in replicas where state.nodes[broker] == nil {
                throw BrokerError(.invalidReplicaAssignment, "there is no broker \(broker): the brokers are \(known)")
            }
            for broker in replicas where !partition.replicas.contains(broker) && !(state.nodes[broker]!.condition.isAlive) {
                throw BrokerError(.invalidReplicaAssignment, "broker \(broker) is \(state.nodes[broker]!.condition.rawValue), so it cannot take a new copy; `broker start \(broker)` first")
            }
            guard partition.reassignment == nil else {
                throw BrokerError(.invalidReplicaAssignment, "\(topic) p\(index) is already moving to \(partition.reassignment!.target.map(String.init).joined(separator: ",")): wait until its new replicas are in sync")
            }
            guard replicas != partition.replicas else {
                throw BrokerError(.invalidReplicaAssignment, "\(topic) p\(index) already has replicas \(replicas.map(String.init).joined(separator: ","))")
            }
            var moved = partition
            let nodes = state.nodes
            try moved.beginReassignment(to: replicas, now: now) { broker throws(BrokerError) in
                PartitionLog(storage: try nodes[broker]!.storage.addReplica(
                    name, config: topicState.config, partitionCount: topicState.partitions.count, partition: Int(index)))
            }
            state.topics[name]!.partitions[Int(index)] = moved
            var events: [ClusterEvent] = [.reassigning(moved.id, target: replicas, adding: moved.reassignment!.adding, removing: moved.removing)]
            events += state.finishReassignments(now: now)
            return events
        }
        followersFetch()
        return events
    }
}

extension BrokerState {
    /// Ends every reassignment whose target replicas are all in sync, deleting the copies of the
    /// replicas that leave.
    mutating func finishReassignments(now: Int64) -> [ClusterEvent] {
        let isAlive = aliveness
        var events: [ClusterEvent] = []
        for name in topics.keys.sorted() {
            for index in topics[name]!.partitions.indices where topics[name]!.partitions[index].reassignment != nil {
                var partition = topics[name]!.partitions[index]
                guard let (removed, finished) = try? partition.finishReassignment(isAlive: isAlive, now: now) else { continue }
                topics[name]!.partitions[index] = partition
                for broker in removed { try? nodes[broker]?.storage.removeReplica(name, partition: index) }
                events += finished
            }
        }
        return events
    }
}
