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
        case .fetch(let fetch):
            self.fetch(fetch) { reply($0.encode(version: version)) }
        case .listOffsets(let list):
            send(listOffsets(list).encode(version: version))
        case .createTopics(let create):
            send(createTopics(create).encode(version: version))
        case .findCoordinator:
            send(FindCoordinatorResponse(errorCode: 0, nodeId: Self.nodeId, host: advertisedHost, port: advertisedPort()).encode(version: version))
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
}
