import EventLabCore

/// Answers Kafka requests from the broker: the protocol's meaning, without sockets.
///
/// Every answer goes to `reply` exactly once — at once, or later for a parked JoinGroup or
/// SyncGroup and a delayed Fetch — and nil means "send nothing" (acks=0). After ``stop()``,
/// parked answers are cancelled and none is sent.
public final class KafkaAPI: Sendable {
    let broker: Broker
    /// The address clients are told to connect to.
    public let advertisedHost: String
    /// The port clients are told to connect to; read at each answer, because with port 0 it is
    /// known only once the server is bound.
    let advertisedPort: @Sendable () -> Int32
    let parked = ParkedReplies()
    static let nodeId: Int32 = 1

    /// An API over `broker` that advertises `host:port`; delayed fetches time out on the
    /// broker's scheduler.
    public init(broker: Broker, advertisedHost: String, advertisedPort: @escaping @Sendable () -> Int32) {
        self.broker = broker
        self.advertisedHost = advertisedHost
        self.advertisedPort = advertisedPort
    }

    /// An API that advertises a fixed port.
    public convenience init(broker: Broker, advertisedHost: String, advertisedPort: Int32) {
        self.init(broker: broker, advertisedHost: advertisedHost, advertisedPort: { advertisedPort })
    }

    /// Cancels every parked answer — delayed fetches with their waiters and timeouts, parked
    /// group calls — and parks nothing more: the server calls it before its event loops stop,
    /// so nothing is answered onto them afterwards.
    public func stop() {
        parked.stop()
    }

    /// Answers one request.
    public func handle(_ header: RequestHeader, _ request: Request, reply: @escaping @Sendable (ResponseBody?) -> Void) {
        let version = header.apiVersion
        let send: @Sendable ([UInt8]) -> Void = { reply(ResponseBody($0)) }
        switch request {
        case .apiVersions:
            send(ApiVersionsResponse.supported.encode(version: version))
        case .unsupportedApiVersions:
            let apis = [(key: ApiKey.apiVersions.rawValue, min: ApiKey.apiVersions.versions.lowerBound, max: ApiKey.apiVersions.versions.upperBound)]
            send(ApiVersionsResponse(errorCode: KafkaErrorCode.unsupportedVersion.rawValue, apis: apis).encode(version: 0))
        case .metadata(let metadata):
            send(self.metadata(metadata).encode(version: version))
        case .typed(let request):
            request.answer(on: self, RequestContext(header: header), reply: reply)
        case .listOffsets(let list):
            send(listOffsets(list).encode(version: version))
        case .createTopics(let create):
            send(createTopics(create).encode(version: version))
        case .findCoordinator:
            send(FindCoordinatorResponse(errorCode: 0, nodeId: Self.nodeId, host: advertisedHost, port: advertisedPort()).encode(version: version))
        case .joinGroup(let join):
            park(reply) { answer in
                joinGroup(join, version: version, clientId: header.clientId ?? "") { answer($0.encode(version: version)) }
            }
        case .syncGroup(let sync):
            park(reply) { [broker] answer in
                broker.syncGroup(SyncGroupRequest(
                    groupId: sync.groupId, generationId: sync.generationId, memberId: sync.memberId, assignments: sync.assignments,
                    instanceId: sync.groupInstanceId)) { response in
                    answer(SyncGroupWireResponse(errorCode: response.error.rawValue, assignment: response.assignment).encode(version: version))
                }
            }
        case .heartbeat(let heartbeat):
            let error = broker.heartbeat(
                groupId: heartbeat.groupId, memberId: heartbeat.memberId, instanceId: heartbeat.groupInstanceId, generationId: heartbeat.generationId)
            send(ErrorOnlyResponse(errorCode: error.rawValue).encode(version: version))
        case .leaveGroup(let leave):
            let error = broker.leaveGroup(groupId: leave.groupId, memberId: leave.memberId)
            send(ErrorOnlyResponse(errorCode: error.rawValue).encode(version: version))
        case .offsetCommit(let commit):
            send(offsetCommit(commit).encode(version: version))
        case .offsetFetch(let fetch):
            send(offsetFetch(fetch).encode(version: version))
        case .deleteTopics(let delete):
            let results = delete.names.map { name -> (name: String, errorCode: Int16) in
                do throws(BrokerError) {
                    try broker.deleteTopic(name)
                    return (name, 0)
                } catch {
                    return (name, error.code.rawValue)
                }
            }
            send(DeleteTopicsResponse(results: results).encode(version: version))
        case .listGroups:
            let groups = broker.groups().map { (id: $0.groupId, protocolType: $0.protocolType ?? "consumer") }
            send(ListGroupsResponse(groups: groups).encode(version: version))
        case .describeGroups(let describe):
            reply(describeGroups(describe).encode(version: version))
        case .initProducerId(let initProducer):
            // A transactional producer would go on to transaction APIs this broker does not have.
            let response = initProducer.transactionalId == nil
                ? InitProducerIdResponse(errorCode: 0, producerId: broker.newProducerId(), producerEpoch: 0)
                : InitProducerIdResponse(errorCode: KafkaErrorCode.invalidRequest.rawValue, producerId: -1, producerEpoch: -1)
            send(response.encode(version: version))
        }
    }

    private func metadata(_ request: MetadataRequest) -> MetadataResponse {
        let existing = Dictionary(uniqueKeysWithValues: broker.topics().map { ($0.name, $0) })
        var topics: [MetadataResponse.Topic] = []
        for name in request.topics ?? existing.keys.sorted() {
            var description = existing[name]
            var code = KafkaErrorCode.none
            if description == nil {
                if request.allowAutoTopicCreation {
                    do throws(BrokerError) {
                        description = try broker.createTopic(name, partitions: 1, config: broker.topicDefaults)
                    } catch {
                        description = try? broker.describeTopic(name)
                        if description == nil { code = error.code }
                    }
                } else {
                    code = (try? TopicName(name)) == nil ? .invalidTopic : .unknownTopicOrPartition
                }
            }
            let partitions = description?.partitions.map { MetadataResponse.Partition(errorCode: 0, index: $0.index, leader: Self.nodeId) } ?? []
            topics.append(MetadataResponse.Topic(errorCode: code.rawValue, name: name, partitions: partitions))
        }
        return MetadataResponse(
            brokers: [MetadataResponse.Broker(nodeId: Self.nodeId, host: advertisedHost, port: advertisedPort())],
            clusterId: "eventlab", controllerId: Self.nodeId, topics: topics)
    }

    /// Runs a group call whose answer may come later; stopping cancels its parked reply.
    private func park(
        _ reply: @escaping @Sendable (ResponseBody?) -> Void,
        _ call: (@escaping @Sendable (ResponseBody) -> Void) -> ReplyTicket
    ) {
        guard let key = parked.reserve() else { return }
        let ticket = call { [parked] body in parked.deliver(key) { reply(body) } }
        parked.attach(key) { [broker] in broker.cancelReply(ticket) }
    }

    private func listOffsets(_ request: ListOffsetsRequest) -> ListOffsetsResponse {
        ListOffsetsResponse(topics: request.topics.map { topic in
            ListOffsetsResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                var result = ListOffsetsResponse.Partition(index: partition.index, errorCode: 0, timestamp: -1, offset: -1)
                do throws(BrokerError) {
                    let offsets = try broker.offsets(topic.name, partition: partition.index)
                    switch partition.timestamp {
                    case -2: result.offset = offsets.logStartOffset
                    case -1: result.offset = offsets.logEndOffset
                    default:
                        // Kafka answers with the found record's own timestamp, not the one asked for.
                        if let offset = try broker.offset(topic.name, partition: partition.index, atOrAfter: partition.timestamp),
                           let record = try broker.read(topic.name, partition: partition.index, from: offset, maxRecords: 1).first {
                            result.offset = record.offset
                            result.timestamp = record.timestamp
                        }
                    }
                } catch {
                    result.errorCode = error.code.rawValue
                }
                return result
            })
        })
    }

    private func createTopics(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        var seen: Set<String> = []
        return CreateTopicsResponse(topics: request.topics.map { topic in
            func failed(_ code: KafkaErrorCode, _ message: String) -> CreateTopicsResponse.Topic {
                CreateTopicsResponse.Topic(name: topic.name, errorCode: code.rawValue, errorMessage: message)
            }
            guard seen.insert(topic.name).inserted else { return failed(.invalidRequest, "Duplicate topic name.") }
            guard topic.replicationFactor == -1 || topic.replicationFactor == 1 else {
                return failed(.invalidReplicationFactor, "replication factor \(topic.replicationFactor) is larger than the 1 broker available")
            }
            do throws(BrokerError) {
                let config = try TopicConfigs.parse(topic.configs, over: broker.topicDefaults)
                let partitions = topic.partitions == -1 ? 1 : Int(topic.partitions)
                if request.validateOnly {
                    _ = try TopicName(topic.name)
                    guard (1...Broker.maxPartitions).contains(partitions) else {
                        throw BrokerError(.invalidPartitions, "a topic needs 1 to \(Broker.maxPartitions) partitions, not \(partitions)")
                    }
                    if broker.topics().contains(where: { $0.name == topic.name }) {
                        throw BrokerError(.topicAlreadyExists, "topic '\(topic.name)' already exists")
                    }
                } else {
                    try broker.createTopic(topic.name, partitions: partitions, config: config)
                }
                return CreateTopicsResponse.Topic(name: topic.name, errorCode: 0, errorMessage: nil)
            } catch {
                return failed(error.code, error.message)
            }
        })
    }

    /// A network client's join: from v4 a new member first gets its id with MEMBER_ID_REQUIRED,
    /// and the first rebalance of an empty group waits the broker's initial delay for more.
    private func joinGroup(
        _ request: JoinGroupWireRequest, version: Int16, clientId: String, reply: @escaping @Sendable (JoinGroupWireResponse) -> Void
    ) -> ReplyTicket {
        let join = JoinGroupRequest(
            groupId: request.groupId, memberId: request.memberId, clientId: clientId, sessionTimeoutMs: request.sessionTimeoutMs,
            rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocolType: request.protocolType,
            protocols: request.protocols.map { GroupProtocol(name: $0.name, metadata: $0.metadata) },
            instanceId: request.groupInstanceId, requiresKnownMemberId: version >= 4,
            initialRebalanceDelayMs: broker.initialRebalanceDelayMs)
        return broker.joinGroup(join) { response in
            reply(JoinGroupWireResponse(
                errorCode: response.error.rawValue, generationId: response.generationId, protocolName: response.protocolName,
                leader: response.leaderId, memberId: response.memberId,
                members: response.members.map { (memberId: $0.memberId, groupInstanceId: $0.instanceId, metadata: $0.metadata) }))
        }
    }

    private func describeGroups(_ request: DescribeGroupsRequest) -> DescribeGroupsResponse {
        DescribeGroupsResponse(groups: request.groups.map { id in
            guard let group = broker.coordinatedGroup(id) else {
                return DescribeGroupsResponse.Group(errorCode: 0, groupId: id, state: "Dead", protocolType: "", protocolName: "", members: [])
            }
            return DescribeGroupsResponse.Group(
                errorCode: 0, groupId: id, state: group.state.rawValue, protocolType: group.protocolType ?? "",
                protocolName: group.protocolName ?? "",
                members: group.members.map { member in
                    DescribeGroupsResponse.Member(
                        memberId: member.id, clientId: member.clientId,
                        metadata: member.protocols.first { $0.name == group.protocolName }?.metadata ?? [],
                        assignment: member.assignment)
                })
        })
    }

    private func offsetCommit(_ request: OffsetCommitRequest) -> OffsetCommitResponse {
        var offsets: [TopicPartition: CommittedOffset] = [:]
        for topic in request.topics {
            for partition in topic.partitions {
                offsets[TopicPartition(topic.name, partition.index)] = CommittedOffset(offset: partition.offset, metadata: partition.metadata)
            }
        }
        let errors = broker.commitOffsets(groupId: request.groupId, memberId: request.memberId, generationId: request.generationId, offsets: offsets)
        return OffsetCommitResponse(topics: request.topics.map { topic in
            OffsetCommitResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                (index: partition.index, errorCode: (errors[TopicPartition(topic.name, partition.index)] ?? .none).rawValue)
            })
        })
    }

    private func offsetFetch(_ request: OffsetFetchRequest) -> OffsetFetchResponse {
        let committed = broker.committedOffsets(groupId: request.groupId)
        let wanted = request.topics ?? Dictionary(grouping: committed.keys, by: \.topic).sorted { $0.key < $1.key }.map {
            (name: $0.key, partitions: $0.value.map(\.partition).sorted())
        }
        return OffsetFetchResponse(topics: wanted.map { topic in
            OffsetFetchResponse.Topic(name: topic.name, partitions: topic.partitions.map { index in
                let offset = committed[TopicPartition(topic.name, index)]
                return OffsetFetchResponse.Partition(index: index, offset: offset?.offset ?? -1, metadata: offset?.metadata ?? "", errorCode: 0)
            })
        })
    }
}
