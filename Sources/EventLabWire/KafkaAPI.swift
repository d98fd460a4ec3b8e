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
    private let parked = ParkedReplies()
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
        case .unsupportedApiVersions:
            reply(ApiVersionsResponse.unsupportedVersion.encoded(version: 0, flexible: false))
        case .typed(let request):
            request.answer(on: self, RequestContext(header: header), reply: reply)
        case .fetch(let fetch):
            self.fetch(fetch) { reply($0.encode(version: version)) }
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
        case .listGroups:
            let groups = broker.groups().map { (id: $0.groupId, protocolType: $0.protocolType ?? "consumer") }
            send(ListGroupsResponse(groups: groups).encode(version: version))
        case .describeGroups(let describe):
            reply(describeGroups(describe).encode(version: version))
        }
    }

    /// Appends each partition's batch; as Kafka's ReplicaManager does, an `acks` other than -1,
    /// 0 or 1 refuses the whole request with INVALID_REQUIRED_ACKS before anything is written.
    func produce(_ request: ProduceRequest) -> ProduceResponse {
        let validAcks = [-1, 0, 1].contains(request.acks)
        return ProduceResponse(topics: request.topics.map { topic in
            ProduceResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                var result = ProduceResponse.Partition(index: partition.index, errorCode: 0, baseOffset: -1, logStartOffset: -1)
                guard validAcks else {
                    result.errorCode = KafkaErrorCode.invalidRequiredAcks.rawValue
                    return result
                }
                do throws(BrokerError) {
                    let sent = partition.records ?? []
                    let batch = try RecordBatch(validating: try Gzip.decompressedIfGzip(sent))
                    let appended = try broker.appendBatch(batch, topic: topic.name, partition: partition.index, sentBytes: sent.count)
                    result.baseOffset = appended.baseOffset
                    result.logAppendTime = appended.logAppendTime ?? -1
                    result.logStartOffset = try broker.offsets(topic.name, partition: partition.index).logStartOffset
                } catch {
                    result.errorCode = error.code.rawValue
                }
                return result
            })
        })
    }

    /// Answers a Fetch now if it can, else parks it until its partitions hold min_bytes or
    /// max_wait passes.
    private func fetch(_ request: FetchRequest, reply: @escaping @Sendable (FetchResponse) -> Void) {
        let (response, bytes) = fetchNow(request)
        guard !DelayedFetch.answersAtOnce(request, response, bytes: bytes) else { return reply(response) }
        guard let key = parked.reserve() else { return }
        let delayed = DelayedFetch(broker: broker, request: request, look: { [self] in fetchNow(request) }) { [parked] response in
            parked.deliver(key) { reply(response) }
        }
        parked.attach(key) { delayed.cancel() }
        delayed.start(after: response)
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

    private func fetchNow(_ request: FetchRequest) -> (FetchResponse, Int) {
        var total = 0
        let topics = request.topics.map { topic in
            FetchResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                var result = FetchResponse.Partition(index: partition.index, errorCode: 0, highWatermark: -1, logStartOffset: -1, records: [])
                do throws(BrokerError) {
                    let budget = max(0, min(Int(partition.maxBytes), Int(request.maxBytes) - total))
                    let fetched = try broker.fetch(topic.name, partition: partition.index, from: partition.fetchOffset, maxBytes: max(budget, 1))
                    result.highWatermark = fetched.highWatermark
                    result.logStartOffset = fetched.logStartOffset
                    if budget > 0 || total == 0 {
                        result.records = fetched.records
                    }
                    total += result.recordBytes
                } catch {
                    result.errorCode = error.code.rawValue
                    if let offsets = try? broker.offsets(topic.name, partition: partition.index) {
                        result.highWatermark = offsets.logEndOffset
                        result.logStartOffset = offsets.logStartOffset
                    }
                }
                return result
            })
        }
        return (FetchResponse(topics: topics), total)
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
