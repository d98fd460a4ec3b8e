import EventLabCore

/// The cluster and topic APIs: Metadata, ListOffsets, FindCoordinator, InitProducerId,
/// CreateTopics and DeleteTopics, each answered per version as Kafka 2.5 answers.
extension KafkaAPI {
    /// The ACL operations allowed on a topic with no authorizer, as Kafka 2.5 reports them: READ,
    /// WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS and ALTER_CONFIGS.
    static let topicOperations: Int32 = [3, 4, 5, 6, 7, 8, 10, 11].reduce(0) { $0 | 1 << $1 }
    /// The ACL operations allowed on the cluster with no authorizer: CREATE, ALTER, DESCRIBE,
    /// CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS and IDEMPOTENT_WRITE.
    static let clusterOperations: Int32 = [5, 7, 8, 9, 10, 11, 12].reduce(0) { $0 | 1 << $1 }
    /// The configs Kafka does not have, shown to Kafka clients only where a topic sets them.
    static let eventLabOwnConfigs = Set(TopicConfigRegistry.entries.filter(\.isEventLabOwn).map(\.name))

    /// The live brokers that listen, the controller and the topics asked for (every topic for
    /// null, or for an empty v0 list); a topic that does not exist is created when the request
    /// allows it (always before v4), with the default replication factor.
    func metadata(_ request: MetadataRequest, version: Int16) -> MetadataResponse {
        let cluster = broker.cluster()
        let listening = addresses.all
        let alive = Set(cluster.brokers.filter(\.condition.isAlive).map(\.id))
        let reachable = alive.filter { listening[$0] != nil }
        let existing = Dictionary(uniqueKeysWithValues: broker.topics().map { ($0.name, $0) })
        var seen: Set<String> = []
        let names = (request.wantedTopics(version: version) ?? existing.keys.sorted()).filter { seen.insert($0).inserted }
        var topics: [MetadataResponse.Topic] = []
        for name in names {
            var description = existing[name]
            var code = KafkaErrorCode.none
            if description == nil {
                if request.allowAutoTopicCreation {
                    do throws(BrokerError) {
                        description = try broker.createTopic(
                            name, partitions: 1, replicationFactor: broker.defaultReplicationFactor, config: broker.topicDefaults)
                    } catch {
                        description = try? broker.describeTopic(name)
                        if description == nil { code = error.code }
                    }
                } else {
                    code = (try? TopicName(name)) == nil ? .invalidTopic : .unknownTopicOrPartition
                }
            }
            let partitions = description?.partitions.map {
                Self.partitionMetadata($0, version: version, alive: alive, reachable: reachable)
            } ?? []
            var topic = MetadataResponse.Topic(errorCode: code.rawValue, name: name, partitions: partitions)
            if request.includeTopicAuthorizedOperations { topic.topicAuthorizedOperations = Self.topicOperations }
            topics.append(topic)
        }
        var response = MetadataResponse(
            brokers: reachable.sorted().map { MetadataResponse.Broker(nodeId: $0, host: listening[$0]!.host, port: listening[$0]!.port) },
            clusterId: "eventlab", controllerId: cluster.controller ?? -1, topics: topics)
        if request.includeClusterAuthorizedOperations { response.clusterAuthorizedOperations = Self.clusterOperations }
        return response
    }

    /// One partition as Kafka's MetadataCache tells it: a leader that is down or listens nowhere
    /// is -1 with LEADER_NOT_AVAILABLE (LISTENER_NOT_FOUND from v6 for a live leader without
    /// an address); v0 leaves out replicas it cannot reach and then answers REPLICA_NOT_AVAILABLE,
    /// later versions name them all. The leader epoch is told only with no error.
    static func partitionMetadata(
        _ partition: PartitionDescription, version: Int16, alive: Set<Int32>, reachable: Set<Int32>
    ) -> MetadataResponse.Partition {
        let shown = { (ids: [Int32]) in version == 0 ? ids.filter(reachable.contains) : ids }
        var result = MetadataResponse.Partition()
        result.partitionIndex = partition.index
        result.replicaNodes = shown(partition.replicas)
        result.isrNodes = shown(partition.isr)
        result.offlineReplicas = shown(partition.replicas.filter { !alive.contains($0) })
        guard let leader = partition.leader, reachable.contains(leader) else {
            let listenerMissing = version >= 6 && partition.leader.map(alive.contains) == true
            result.errorCode = listenerMissing ? KafkaErrorCode.listenerNotFound.rawValue : KafkaErrorCode.leaderNotAvailable.rawValue
            result.leaderId = -1
            return result
        }
        result.leaderId = leader
        if result.replicaNodes.count < partition.replicas.count || result.isrNodes.count < partition.isr.count {
            result.errorCode = KafkaErrorCode.replicaNotAvailable.rawValue
        } else {
            result.leaderEpoch = partition.leaderEpoch
        }
        return result
    }

    /// Each partition's earliest (-2), latest (-1) or first offset at or after a time, from its
    /// leader only. From v1 a partition asked for twice gets INVALID_REQUEST, and from v4 a leader
    /// epoch other than the partition's is refused, as Kafka does. The epoch answered (v4+) is,
    /// as in Kafka 2.5, the one the earliest offset or the offset found by time was written in
    /// (-1 before any), and the current one with the latest.
    func listOffsets(_ request: ListOffsetsRequest, version: Int16) -> ListOffsetsResponse {
        var asked: [TopicPartition: Int] = [:]
        for topic in request.topics {
            for partition in topic.partitions { asked[TopicPartition(topic.name, partition.partitionIndex), default: 0] += 1 }
        }
        var answered: Set<TopicPartition> = []
        var topics: [ListOffsetsResponse.Topic] = []
        for topic in request.topics {
            let partitions = topic.partitions.filter { answered.insert(TopicPartition(topic.name, $0.partitionIndex)).inserted }.map { partition in
                if version >= 1, asked[TopicPartition(topic.name, partition.partitionIndex)]! > 1 {
                    return ListOffsetsResponse.Partition(index: partition.partitionIndex, errorCode: KafkaErrorCode.invalidRequest.rawValue)
                }
                return listOffsets(topic.name, partition, version: version)
            }
            if let index = topics.firstIndex(where: { $0.name == topic.name }) {
                topics[index].partitions += partitions
            } else {
                topics.append(ListOffsetsResponse.Topic(name: topic.name, partitions: partitions))
            }
        }
        return ListOffsetsResponse(topics: topics)
    }

    private func listOffsets(_ topic: String, _ partition: ListOffsetsRequest.Partition, version: Int16) -> ListOffsetsResponse.Partition {
        var result = ListOffsetsResponse.Partition(index: partition.partitionIndex)
        do throws(BrokerError) {
            let leadership = try leading(topic, partition.partitionIndex, currentLeaderEpoch: version >= 4 ? partition.currentLeaderEpoch : -1)
            let offsets = try broker.offsets(topic, partition: partition.partitionIndex)
            guard version >= 1 else {
                result.oldStyleOffsets = try legacyOffsets(topic, partition, offsets)
                return result
            }
            switch partition.timestamp {
            case -2:
                result.offset = offsets.logStartOffset
                result.leaderEpoch = try broker.leaderEpoch(topic, partition: partition.partitionIndex, at: result.offset) ?? -1
            case -1:
                result.offset = offsets.logEndOffset
                result.leaderEpoch = leadership.leaderEpoch
            default:
                // Kafka answers with the found record's own timestamp, not the one asked for; a
                // record without a timestamp (-1, magic 0) is never at or after a time.
                if let offset = try broker.offset(topic, partition: partition.partitionIndex, atOrAfter: max(0, partition.timestamp)),
                   let record = try broker.read(topic, partition: partition.partitionIndex, from: offset, maxRecords: 1).first {
                    result.offset = record.offset
                    result.timestamp = record.timestamp
                    result.leaderEpoch = try broker.leaderEpoch(topic, partition: partition.partitionIndex, at: record.offset) ?? -1
                }
            }
        } catch {
            result.errorCode = error.code.rawValue
        }
        return result
    }

    /// v0's answer, as Kafka's offsets "before" a time: the starts of the segments last written at
    /// or before it, newest first, with the log-end offset as of now; here the log is one segment,
    /// last written when its newest record was stamped.
    private func legacyOffsets(
        _ topic: String, _ partition: ListOffsetsRequest.Partition, _ offsets: PartitionOffsets
    ) throws(BrokerError) -> [Int64] {
        let now = broker.clock.now()
        var segments: [(offset: Int64, time: Int64)] = [(offsets.logStartOffset, now)]
        if offsets.logEndOffset > offsets.logStartOffset {
            let newest = try broker.read(topic, partition: partition.partitionIndex, from: offsets.logEndOffset - 1, maxRecords: 1).first
            segments = [(offsets.logStartOffset, newest.map(\.timestamp).flatMap { $0 >= 0 ? $0 : nil } ?? now), (offsets.logEndOffset, now)]
        }
        let start: Int? = switch partition.timestamp {
        case -1: segments.count - 1
        case -2: 0
        default: segments.lastIndex { $0.time <= partition.timestamp }
        }
        guard let start else { return [] }
        return Array(segments[...start].reversed().map(\.offset).prefix(max(0, Int(partition.maxNumOffsets))))
    }

    /// The broker coordinating the group (or transactional id: its transactions are refused at
    /// InitProducerId), with its address; COORDINATOR_NOT_AVAILABLE while none is alive and
    /// listening. A key type other than 0 (group) or 1 (transaction) gets INVALID_REQUEST.
    /// Kafka 2.5 names the error even when there is none.
    func findCoordinator(_ request: FindCoordinatorRequest) -> FindCoordinatorResponse {
        guard request.keyType == 0 || request.keyType == 1 else {
            return FindCoordinatorResponse(
                errorCode: KafkaErrorCode.invalidRequest.rawValue,
                errorMessage: "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.",
                nodeId: -1, host: "", port: -1)
        }
        guard let coordinator = broker.coordinator(forGroup: request.key), let address = addresses.address(of: coordinator) else {
            return FindCoordinatorResponse(
                errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue, errorMessage: "The coordinator is not available.", nodeId: -1, host: "", port: -1)
        }
        return FindCoordinatorResponse(errorCode: 0, errorMessage: "NONE", nodeId: coordinator, host: address.host, port: address.port)
    }

    /// A new producer id at epoch 0 for an idempotent producer, as Kafka gives one even to a
    /// producer that names its old id and epoch (v3+); naming only one of them is INVALID_REQUEST.
    /// A transactional producer gets INVALID_REQUEST: it would go on to transaction APIs this
    /// broker does not have.
    func initProducerId(_ request: InitProducerIdRequest) -> InitProducerIdResponse {
        let refused = InitProducerIdResponse(errorCode: KafkaErrorCode.invalidRequest.rawValue, producerId: -1, producerEpoch: -1)
        guard (request.producerId == -1) == (request.producerEpoch == -1), request.transactionalId == nil else { return refused }
        return InitProducerIdResponse(errorCode: 0, producerId: broker.newProducerId(), producerEpoch: 0)
    }

    /// Creates each topic on the controller, or with `validateOnly` checks it could be created
    /// (NOT_CONTROLLER elsewhere). A name given twice
    /// fails in every entry and none is created, as in Kafka; from v5 a topic that could be
    /// created comes back with its partitions, replication factor and configs.
    func createTopics(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        guard isController else { return notControllerAnswer(request) }
        var counts: [String: Int] = [:]
        for topic in request.topics { counts[topic.name, default: 0] += 1 }
        return CreateTopicsResponse(topics: request.topics.map { topic in
            guard counts[topic.name]! == 1 else {
                return CreateTopicsResponse.Topic(
                    name: topic.name, errorCode: KafkaErrorCode.invalidRequest.rawValue, errorMessage: "Found multiple entries for this topic.")
            }
            return createTopic(topic, validateOnly: request.validateOnly)
        })
    }

    /// One topic, as Kafka's AdminManager checks it: a replication factor of -1 is the default,
    /// one above the live brokers is refused; explicit assignments are taken when they are the
    /// placement EventLab gives the topic anyway, since it places every topic's replicas itself.
    private func createTopic(_ topic: CreateTopicsRequest.Topic, validateOnly: Bool) -> CreateTopicsResponse.Topic {
        func failed(_ code: KafkaErrorCode, _ message: String) -> CreateTopicsResponse.Topic {
            CreateTopicsResponse.Topic(name: topic.name, errorCode: code.rawValue, errorMessage: message)
        }
        let alive = broker.cluster().brokers.filter(\.condition.isAlive).map(\.id)
        guard !topic.assignments.isEmpty else {
            let factor = topic.replicationFactor == -1 ? broker.defaultReplicationFactor : Int(topic.replicationFactor)
            guard factor >= 1 else { return failed(.invalidReplicationFactor, "Replication factor must be larger than 0.") }
            guard factor <= alive.count else {
                return failed(.invalidReplicationFactor, "Replication factor: \(factor) larger than available brokers: \(alive.count).")
            }
            return create(topic, partitions: topic.numPartitions == -1 ? 1 : Int(topic.numPartitions), factor: factor, validateOnly: validateOnly)
        }
        guard topic.numPartitions == -1, topic.replicationFactor == -1 else {
            return failed(.invalidRequest,
                "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.")
        }
        let given = topic.assignments.map(\.brokerIds)
        let known = broker.brokerIds
        if let unknown = given.joined().first(where: { !known.contains($0) }) {
            return failed(.invalidReplicaAssignment,
                "Unknown broker \(unknown) in the assignment: \(Self.brokersAre(known)).")
        }
        let factor = given[0].count
        var placement: [[Int32]]?
        if (1...max(1, alive.count)).contains(factor), !alive.isEmpty {
            let (start, shift) = ReplicaAssignment.seeds(for: topic.name, brokers: alive.count)
            placement = ReplicaAssignment.assign(partitions: given.count, replicationFactor: factor, brokers: alive, start: start, shift: shift)
        }
        guard let placement, placement == given else {
            let offer = placement.map { "give \(Self.listed($0)), " } ?? ""
            return failed(.invalidReplicaAssignment,
                "EventLab places a new topic's replicas itself, over the \(alive.count) live brokers: \(offer)or numPartitions and replicationFactor instead, then move replicas with `topic reassign`.")
        }
        return create(topic, partitions: given.count, factor: factor, validateOnly: validateOnly)
    }

    /// The cluster's brokers `ids`, as an error message names them.
    static func brokersAre(_ ids: [Int32]) -> String {
        ids.count == 1 ? "this cluster is broker \(ids[0]) alone" : "the brokers are \(ids.map(String.init).joined(separator: ", "))"
    }

    /// Replica lists as Kafka's tools write them: [[1,2],[2,3]].
    static func listed(_ assignment: [[Int32]]) -> String {
        "[" + assignment.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    }

    private func create(_ topic: CreateTopicsRequest.Topic, partitions: Int, factor: Int, validateOnly: Bool) -> CreateTopicsResponse.Topic {
        do throws(BrokerError) {
            var given: [String: String?] = [:]
            for config in topic.configs { given[config.name] = config.value }
            let config = try TopicConfigs.parse(given, over: broker.topicDefaults)
            if validateOnly {
                _ = try TopicName(topic.name)
                try Broker.checkPartitionCount(partitions)
                if broker.topics().contains(where: { $0.name == topic.name }) {
                    throw BrokerError(.topicAlreadyExists, "topic '\(topic.name)' already exists")
                }
            } else {
                try broker.createTopic(topic.name, partitions: partitions, replicationFactor: factor, config: config)
            }
            var result = CreateTopicsResponse.Topic(name: topic.name, errorCode: 0, errorMessage: nil)
            result.numPartitions = Int32(partitions)
            result.replicationFactor = Int16(factor)
            result.configs = config.values.filter { !Self.eventLabOwnConfigs.contains($0.name) || $0.source == .topic }.map {
                CreateTopicsResponse.Config(name: $0.name, value: $0.value, configSource: $0.source.rawValue)
            }
            return result
        } catch {
            return CreateTopicsResponse.Topic(name: topic.name, errorCode: error.code.rawValue, errorMessage: error.message)
        }
    }

    /// Deletes each topic once, on the controller only; a name given twice gets the same answer
    /// in both entries.
    func deleteTopics(_ request: DeleteTopicsRequest) -> DeleteTopicsResponse {
        guard isController else { return notControllerAnswer(request) }
        var codes: [String: Int16] = [:]
        for name in request.topicNames where codes[name] == nil {
            do throws(BrokerError) {
                try broker.deleteTopic(name)
                codes[name] = 0
            } catch {
                codes[name] = error.code.rawValue
            }
        }
        return DeleteTopicsResponse(responses: request.topicNames.map { DeleteTopicsResponse.Result(name: $0, errorCode: codes[$0]!) })
    }
}
