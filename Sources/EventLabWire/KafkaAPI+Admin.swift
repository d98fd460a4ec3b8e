import EventLabCore

/// The partition, record and group APIs tools use, answered as a Kafka 2.5 broker answers them,
/// each with the meaning of a REPL command (`topic alter --partitions`,
/// `topic delete-records`, `group delete`, `group delete-offsets`).
extension KafkaAPI {
    /// Grows each topic to its new partition count, on the controller only. New partitions are placed by the broker
    /// (null assignments), as `kafka-topics --alter` places them; assignments are taken when
    /// they are that placement.
    func createPartitions(_ request: CreatePartitionsRequest) -> CreatePartitionsResponse {
        guard isController else { return notControllerAnswer(request) }
        let counts = Dictionary(request.topics.map { ($0.name, 1) }, uniquingKeysWith: +)
        return CreatePartitionsResponse(results: request.topics.map { topic in
            do throws(BrokerError) {
                guard counts[topic.name] == 1 else {
                    throw BrokerError(.invalidRequest, "topic '\(topic.name)' is named more than once: name each topic once")
                }
                let current = try broker.describeTopic(topic.name)
                try checkGrowth(topic, from: current)
                if !request.validateOnly { try broker.addPartitions(topic.name, to: Int(topic.count)) }
                return CreatePartitionsResponse.Result(name: topic.name, errorCode: 0, errorMessage: nil)
            } catch {
                return CreatePartitionsResponse.Result(name: topic.name, errorCode: error.code.rawValue, errorMessage: error.message)
            }
        })
    }

    /// Moves each partition's log start up to its offset (-1: the high watermark), as
    /// `topic delete-records` does, on its leader only; answers the new log start, or -1 with
    /// the error.
    func deleteRecords(_ request: DeleteRecordsRequest) -> DeleteRecordsResponse {
        DeleteRecordsResponse(topics: request.topics.map { topic in
            DeleteRecordsResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                do throws(BrokerError) {
                    try leading(topic.name, partition.partitionIndex)
                    let start = try broker.deleteRecords(topic.name, partition: partition.partitionIndex, before: partition.offset)
                    return .init(partitionIndex: partition.partitionIndex, lowWatermark: start, errorCode: 0)
                } catch {
                    return .init(partitionIndex: partition.partitionIndex, lowWatermark: -1, errorCode: error.code.rawValue)
                }
            })
        })
    }

    /// Deletes each group without members, with its offsets, as `group delete` does; a group
    /// named twice is answered once, as Kafka takes the names as a set; one another broker
    /// coordinates is NOT_COORDINATOR.
    func deleteGroups(_ request: DeleteGroupsRequest) -> DeleteGroupsResponse {
        var seen = Set<String>()
        return DeleteGroupsResponse(results: request.groupsNames.filter { seen.insert($0).inserted }.map { group in
            if let error = coordinatorError(group) { return .init(groupId: group, errorCode: error.rawValue) }
            do throws(BrokerError) {
                try broker.deleteGroup(group)
                return .init(groupId: group, errorCode: 0)
            } catch {
                return .init(groupId: group, errorCode: error.code.rawValue)
            }
        })
    }

    /// Deletes a group's offsets on the partitions named, as `group delete-offsets` does: an
    /// error for the whole group (NOT_COORDINATOR from a broker that does not coordinate it)
    /// comes alone, without topics, as in Kafka.
    func offsetDelete(_ request: OffsetDeleteRequest) -> OffsetDeleteResponse {
        if let error = coordinatorError(request.groupId) { return OffsetDeleteResponse(errorCode: error.rawValue, topics: []) }
        let partitions = request.topics.flatMap { topic in topic.partitions.map { TopicPartition(topic.name, $0.partitionIndex) } }
        do throws(BrokerError) {
            let results = try broker.deleteOffsets(groupId: request.groupId, partitions: partitions)
            return OffsetDeleteResponse(topics: request.topics.map { topic in
                OffsetDeleteResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                    let code = results[TopicPartition(topic.name, partition.partitionIndex)] ?? KafkaErrorCode.none
                    return .init(partitionIndex: partition.partitionIndex, errorCode: code.rawValue)
                })
            })
        } catch {
            return OffsetDeleteResponse(errorCode: error.code.rawValue, topics: [])
        }
    }

    /// Checks a partition count and assignments against the topic as it is, `described`.
    private func checkGrowth(_ topic: CreatePartitionsRequest.Topic, from described: TopicDescription) throws(BrokerError) {
        let current = described.partitions.count
        let count = Int(topic.count)
        guard count > current else {
            throw BrokerError(.invalidPartitions, count == current
                ? "topic '\(topic.name)' already has \(current) partitions: ask for more than \(current)"
                : "topic '\(topic.name)' has \(current) partitions, more than the \(count) asked for: partitions can be added but never removed")
        }
        try Broker.checkPartitionCount(count)
        guard let assignments = topic.assignments else { return }
        let known = broker.brokerIds
        let unknown = Set(assignments.flatMap(\.brokerIds)).subtracting(known)
        guard unknown.isEmpty else {
            throw BrokerError(.invalidReplicaAssignment,
                "there is no broker \(unknown.sorted().map(String.init).joined(separator: ", ")): \(Self.brokersAre(known))")
        }
        guard assignments.count == count - current else {
            throw BrokerError(.invalidReplicaAssignment, "adding \(count - current) partitions to '\(topic.name)' takes \(count - current) assignments, not \(assignments.count)")
        }
        // Where the broker puts them: after partition 0's preferred leader, as kafka-topics --alter.
        let alive = broker.cluster().brokers.filter(\.condition.isAlive).map(\.id)
        let factor = described.partitions[0].replicas.count
        let start = alive.firstIndex(of: described.partitions[0].replicas[0]) ?? 0
        let placement = factor <= alive.count
            ? ReplicaAssignment.assign(partitions: count - current, from: current, replicationFactor: factor, brokers: alive, start: start, shift: start)
            : nil
        guard let placement, placement == assignments.map(\.brokerIds) else {
            let offer = placement.map { "give \(KafkaAPI.listed($0)), or no assignments" } ?? "no assignments"
            throw BrokerError(.invalidReplicaAssignment,
                "EventLab places the new partitions of '\(topic.name)' itself, \(factor) replicas each over the live brokers: \(offer), then move replicas with `topic reassign`")
        }
    }
}
