import EventLabCore

extension KafkaAPI {
    /// Appends each partition's records on its leader; as Kafka's ReplicaManager does, an `acks`
    /// other than -1, 0 or 1 refuses the whole request with INVALID_REQUIRED_ACKS before anything
    /// is written. A partition this broker does not lead gets NOT_LEADER_OR_FOLLOWER; with
    /// acks=all, one with fewer in-sync replicas than `min.insync.replicas` NOT_ENOUGH_REPLICAS,
    /// both before anything is appended. With acks=all the answer comes once every partition
    /// appended to is acknowledged, or cannot be (``DelayedProduce``); with acks=1 after the
    /// leader's appends.
    ///
    /// From v3 the records are one RecordBatch v2, validated and appended as sent (gzip made
    /// plain). Before v3 they are a message set of magic 0 or 1, converted up to one RecordBatch
    /// v2 as Kafka's LogValidator does; like Kafka, these versions take a v2 batch too, since
    /// Kafka never checked the magic an old Produce carries.
    func produce(_ request: ProduceRequest, version: Int16, reply: @escaping @Sendable (ProduceResponse) -> Void) {
        let validAcks = [-1, 0, 1].contains(request.acks)
        var pending: [DelayedProduce.Pending] = []
        let response = ProduceResponse(topics: request.topics.map { topic in
            ProduceResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                var result = ProduceResponse.Partition(index: partition.index, errorCode: 0, baseOffset: -1, logStartOffset: -1)
                guard validAcks else {
                    result.errorCode = KafkaErrorCode.invalidRequiredAcks.rawValue
                    return result
                }
                do throws(BrokerError) {
                    let sent = partition.records ?? []
                    if let (batch, sentBytes) = try Self.producedBatch(sent, version: version) {
                        let appended = try broker.appendBatch(
                            batch, topic: topic.name, partition: partition.index, sentBytes: sentBytes,
                            acks: request.acks == -1 ? .all : request.acks == 0 ? .none : .leader, sentTo: nodeId)
                        result.baseOffset = appended.baseOffset
                        result.logAppendTime = appended.logAppendTime ?? -1
                        if request.acks == -1 {
                            pending.append(.init(
                                topic: topic.name, partition: partition.index, lastOffset: appended.lastOffset, leaderEpoch: appended.leaderEpoch))
                        }
                    } else {
                        try leading(topic.name, partition.index)
                    }
                    result.logStartOffset = try broker.offsets(topic.name, partition: partition.index).logStartOffset
                } catch {
                    result.errorCode = error.code.rawValue
                }
                return result
            })
        })
        guard !pending.isEmpty else { return reply(response) }
        guard let key = parked.reserve() else { return }
        let delayed = DelayedProduce(broker: broker, response: response, pending: pending, timeoutMs: Int64(request.timeoutMs)) {
            [parked] response in parked.deliver(key) { reply(response) }
        }
        parked.attach(key) { delayed.cancel() }
        delayed.start()
    }

    /// The batch `sent` holds and the size `max.message.bytes` judges; nil for an empty message
    /// set, which Kafka answers with no error and base offset -1, appending nothing.
    ///
    /// An old message set is sized as Kafka sizes it after converting it: the converted batch, or
    /// the set as sent when that is smaller (a gzip wrapper, which Kafka would recompress).
    private static func producedBatch(_ sent: ArraySlice<UInt8>, version: Int16) throws(BrokerError) -> (RecordBatch, Int)? {
        guard version <= 2, LegacyMessageSet.magic(of: sent) != 2 else {
            return (try RecordBatch(validating: try Gzip.decompressedIfGzip(sent)), sent.count)
        }
        guard let batch = try LegacyMessageSet(decoding: sent, from: .produceRequest).producedBatch() else { return nil }
        return (batch, min(sent.count, batch.byteCount))
    }

    /// Answers a Fetch now if it can, else parks it until its partitions hold min_bytes or
    /// max_wait passes. Only a partition's leader serves it, and from v9 in the epoch the
    /// client names (see ``leading(_:_:currentLeaderEpoch:)``).
    func fetch(_ request: FetchRequest, version: Int16, reply: @escaping @Sendable (FetchResponse) -> Void) {
        let (response, bytes) = fetchNow(request, version: version)
        guard !DelayedFetch.answersAtOnce(request, response, bytes: bytes) else { return reply(response) }
        guard let key = parked.reserve() else { return }
        let delayed = DelayedFetch(broker: broker, request: request, look: { [self] in fetchNow(request, version: version) }) {
            [parked] response in parked.deliver(key) { reply(response) }
        }
        parked.attach(key) { delayed.cancel() }
        delayed.start(after: response)
    }

    /// The most record bytes one Fetch answer holds, whatever the request asks for: Kafka 2.5's
    /// broker `fetch.max.bytes` (KIP-541). It bounds the answer to a request that names one
    /// partition many times, or asks Int32.max bytes, as before v3 every request does.
    static let fetchMaxBytes = 57_671_680

    /// What the partitions hold now, and its size in record bytes.
    ///
    /// Each partition gets at most its max_bytes and what is left of the request's (from v3) and
    /// of `fetchMaxBytes`;
    /// the first partition with records gets at least one whole batch (KIP-74), as from v3 in
    /// Kafka. Fetch v0–v3 answers are converted down (``downConverted(_:version:from:limit:wholeFirst:)``).
    private func fetchNow(_ request: FetchRequest, version: Int16) -> (FetchResponse, Int) {
        var total = 0
        let requestLimit = min(Int(request.maxBytes), Self.fetchMaxBytes)
        let topics = request.topics.map { topic in
            FetchResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                var result = FetchResponse.Partition(index: partition.index, errorCode: 0, highWatermark: -1, logStartOffset: -1, records: [])
                do throws(BrokerError) {
                    try leading(topic.name, partition.index, currentLeaderEpoch: version >= 9 ? partition.currentLeaderEpoch : -1)
                    let budget = max(0, min(Int(partition.maxBytes), requestLimit - total))
                    let fetched = try broker.fetch(topic.name, partition: partition.index, from: partition.fetchOffset, maxBytes: max(budget, 1))
                    result.highWatermark = fetched.highWatermark
                    result.lastStableOffset = fetched.highWatermark
                    result.logStartOffset = fetched.logStartOffset
                    if version <= 3 {
                        result.records = try Self.downConverted(
                            fetched, version: version, from: partition.fetchOffset, limit: budget, wholeFirst: version == 3 && total == 0)
                    } else if budget > 0 || total == 0 {
                        result.records = fetched.records
                    }
                    total += result.recordBytes
                } catch {
                    result.errorCode = error.code.rawValue
                    // Kafka tells no offsets and no aborted transactions with these.
                    if Self.isLeadershipError(error) { return result }
                    if let offsets = try? broker.offsets(topic.name, partition: partition.index) {
                        result.highWatermark = offsets.logEndOffset
                        result.lastStableOffset = offsets.logEndOffset
                        result.logStartOffset = offsets.logStartOffset
                    }
                }
                if request.isolationLevel == 1 { result.abortedTransactions = [] }
                return result
            })
        }
        return (FetchResponse(topics: topics), total)
    }

    /// `fetched` converted down for a Fetch v0–v3, which cannot read RecordBatch v2: a message
    /// set of magic 0 (v0–v1) or magic 1 (v2–v3) from `offset`, cut at `limit` bytes.
    ///
    /// As in Kafka, the cut may leave a partial message at the end, which every old consumer
    /// skips (and fetches again from its offset). Before v3 the limit is hard, as Kafka's
    /// `hardMaxBytesLimit`: a first message larger than it arrives as a partial message only,
    /// and the consumer says its fetch size is too small. From v3 (`wholeFirst`, the first
    /// partition with records) the first message is sent whole however large, so a consumer
    /// always makes progress (KIP-74).
    ///
    /// These answers are built anew and held in memory: they lose the zero-copy path of v4+,
    /// where stored batches go to the socket as they lie in the log.
    static func downConverted(
        _ fetched: FetchResult, version: Int16, from offset: Int64, limit: Int, wholeFirst: Bool
    ) throws(BrokerError) -> [any StoredBytes] {
        guard limit > 0 || wholeFirst else { return [] }
        let magic: LegacyMessageSet.Magic = version <= 1 ? .v0 : .v1
        var bytes = try LegacyMessageSet.downConverting(try fetched.batches(), to: magic, from: offset, limit: max(limit, 1))
        var kept = min(bytes.count, limit)
        if wholeFirst, bytes.count >= LegacyMessage.logOverhead {
            let firstSize = LegacyMessage.logOverhead + Int(LegacyMessage.integer(Int32.self, in: bytes[...], at: 8))
            kept = max(kept, min(firstSize, bytes.count))
        }
        bytes.removeLast(bytes.count - kept)
        return bytes.isEmpty ? [] : [HeldBytes(bytes)]
    }
}
