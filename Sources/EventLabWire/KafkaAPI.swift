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
        switch request {
        case .unsupportedApiVersions:
            reply(ApiVersionsResponse.unsupportedVersion.encoded(version: 0, flexible: false))
        case .typed(let request):
            request.answer(on: self, RequestContext(header: header), reply: reply)
        case .fetch(let fetch):
            self.fetch(fetch) { reply($0.encode(version: version)) }
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
}
