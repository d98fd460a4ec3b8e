import EventLabCore
@testable import EventLabWire
import EventLabTestSupport
import Synchronization
import Testing

/// A broker with its API, and requests sent to it as a client would, at a given version.
struct ClusterClient {
    let broker: Broker
    let api: KafkaAPI

    init() throws {
        broker = try Broker(waker: nil)
        api = KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092)
    }

    /// The answer's bytes to `bytes`, a whole request frame.
    func answer(_ bytes: [UInt8]) throws -> [UInt8] {
        let (header, request) = try RequestDecoder.decode(bytes)
        let answer = Mutex<[UInt8]?>(nil)
        api.handle(header, request) { reply in answer.withLock { $0 = try? reply.body?.bytes() } }
        return try #require(answer.withLock { $0 })
    }

    /// `request` sent at `version` (with header v2 when flexible), and the answer read back at
    /// that version to its last byte.
    func send<Request: KafkaRequest>(_ request: Request, version: Int16) throws -> Request.Response {
        let flexible = Request.apiKey.flexibleVersions.contains(version)
        let body = try request.encoded(version: version, flexible: flexible).bytes()
        var reader = WireReader(try answer(frame(key: Request.apiKey, version: version) { writer in
            if flexible { writer.noTaggedFields() }
            writer.raw(body)
        }))
        let response = try Request.Response.decoded(from: &reader, version: version, flexible: flexible)
        #expect(reader.remaining == 0, "\(reader.remaining) bytes after the answer")
        return response
    }
}

/// A ListOffsets entry for partition `index` of `name`.
func offsetsTopic(_ name: String, _ partitions: [ListOffsetsRequest.Partition]) -> ListOffsetsRequest.Topic {
    TopicData(name: name, partitions: partitions)
}

@Suite("Cluster APIs answer each version as Kafka 2.5 does")
struct ClusterAPITests {
    @Test("ApiVersions v0–v3 list every API with the versions it serves; a v3 client with a malformed software name gets INVALID_REQUEST")
    func apiVersions() throws {
        let client = try ClusterClient()
        let served = ApiKey.allCases.map { [$0.rawValue, $0.versions.lowerBound, $0.versions.upperBound] }
        for version in Int16(0)...3 {
            let response = try client.send(ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "1.7.0"), version: version)
            #expect(response.errorCode == 0)
            #expect(response.apiKeys.map { [$0.apiKey, $0.minVersion, $0.maxVersion] } == served, "v\(version)")
        }
        #expect(served.contains([3, 0, 9]) && served.contains([2, 0, 5]) && served.contains([19, 0, 5]))
        let bad = try client.send(ApiVersionsRequest(clientSoftwareName: "my client", clientSoftwareVersion: "1.0-"), version: 3)
        #expect(bad.errorCode == KafkaErrorCode.invalidRequest.rawValue && bad.apiKeys.isEmpty)
    }

    @Test("ApiVersions at a version it does not know is answered in v0 form with UNSUPPORTED_VERSION and its own versions, body unread")
    func apiVersionsUnknownVersion() throws {
        let client = try ClusterClient()
        var reader = WireReader(try client.answer(frame(key: .apiVersions, version: 4) { $0.raw([0xff, 0x13]) }))
        let response = try ApiVersionsResponse.decoded(from: &reader, version: 0, flexible: false)
        #expect(response.errorCode == 35)
        #expect(response.apiKeys == [ApiVersionsResponse.ApiVersion(apiKey: 18, minVersion: 0, maxVersion: 3)])
        #expect(reader.remaining == 0)
    }

    @Test("Metadata: v0's empty list and a null list (v1+) ask for every topic, v1's empty list for none; each version carries its fields")
    func metadataTopics() throws {
        let client = try ClusterClient()
        try client.broker.createTopic("orders", partitions: 2)
        try client.broker.createTopic("payments", partitions: 1)
        #expect(try client.send(MetadataRequest(topics: []), version: 0).topics.map(\.name) == ["orders", "payments"])
        for version in Int16(1)...9 {
            #expect(try client.send(MetadataRequest(topics: []), version: version).topics.isEmpty, "v\(version)")
            let all = try client.send(MetadataRequest(topics: nil), version: version)
            #expect(all.topics.map(\.name) == ["orders", "payments"], "v\(version)")
            #expect(all.brokers.map { [$0.nodeId, $0.port] } == [[1, 9092]] && all.brokers.first?.host == "127.0.0.1")
            #expect(all.controllerId == 1)
            #expect(all.clusterId == (version >= 2 ? "eventlab" : nil))
            let partition = try #require(all.topics.first?.partitions.last)
            #expect([partition.partitionIndex, partition.leaderId] == [1, 1])
            #expect(partition.replicaNodes == [1] && partition.isrNodes == [1] && partition.offlineReplicas.isEmpty)
            #expect(partition.leaderEpoch == (version >= 7 ? 0 : -1), "v\(version)")
        }
    }

    @Test("Metadata auto-creates a topic asked for before v4 always, from v4 only when allowed")
    func metadataAutoCreation() throws {
        let client = try ClusterClient()
        #expect(try client.send(MetadataRequest(topics: ["old"]), version: 3).topics.map(\.errorCode) == [0])
        let refused = try client.send(MetadataRequest(topics: ["refused"], allowAutoTopicCreation: false), version: 4)
        #expect(refused.topics.map(\.errorCode) == [KafkaErrorCode.unknownTopicOrPartition.rawValue])
        #expect(refused.topics.first?.partitions.isEmpty == true)
        #expect(try client.send(MetadataRequest(topics: ["new"], allowAutoTopicCreation: true), version: 9).topics.map(\.errorCode) == [0])
        #expect(client.broker.topics().map(\.name) == ["new", "old"])
    }

    @Test("Metadata v8+ gives authorized operations only when asked: every operation, as Kafka without an authorizer")
    func metadataAuthorizedOperations() throws {
        let client = try ClusterClient()
        try client.broker.createTopic("orders", partitions: 1)
        let plain = try client.send(MetadataRequest(topics: ["orders"]), version: 8)
        #expect(plain.clusterAuthorizedOperations == .min && plain.topics.first?.topicAuthorizedOperations == .min)
        var asking = MetadataRequest(topics: ["orders"])
        asking.includeClusterAuthorizedOperations = true
        asking.includeTopicAuthorizedOperations = true
        for version in Int16(8)...9 {
            let response = try client.send(asking, version: version)
            #expect(response.clusterAuthorizedOperations == 8096, "v\(version)")
            #expect(response.topics.first?.topicAuthorizedOperations == 3576, "v\(version)")
        }
    }

    @Test("ListOffsets v0 answers an offsets array, newest first and at most max_num_offsets, before a time as Kafka's segments go; v1+ one offset with its timestamp and, from v4, leader epoch")
    func listOffsets() throws {
        let client = try ClusterClient()
        try client.broker.createTopic("t", partitions: 1)
        for (index, time) in [Int64(100), 200, 300].enumerated() {
            _ = try client.broker.append(RecordBatch(records: [Record(offset: 0, timestamp: time, key: nil, value: [UInt8(index)])]), topic: "t", partition: 0)
        }
        func old(_ timestamp: Int64, max: Int32) throws -> [Int64]? {
            try client.send(ListOffsetsRequest(topics: [offsetsTopic("t", [.init(index: 0, timestamp: timestamp, maxNumOffsets: max)])]), version: 0)
                .topics.first?.partitions.first?.oldStyleOffsets
        }
        #expect(try old(-1, max: 5) == [3, 0])
        #expect(try old(-1, max: 1) == [3])
        #expect(try old(-2, max: 5) == [0])
        // By time, v0 answers the starts of segments last written at or before it (Kafka's
        // "offsets before"): here one segment, last written at 300, then the log end as of now.
        #expect(try old(250, max: 5) == [])
        #expect(try old(300, max: 5) == [0])
        #expect(try old(.max, max: 5) == [3, 0])
        for version in Int16(1)...5 {
            let request = ListOffsetsRequest(topics: [offsetsTopic("t", [-2, -1, 150, 400].enumerated().map { .init(index: 0, timestamp: $1) }),
                                                      offsetsTopic("gone", [.init(index: 0, timestamp: -1)])])
            // Asked twice in one request, a partition is refused from v1 on; so ask each once.
            for (timestamp, offset, found) in [(Int64(-2), Int64(0), Int64(-1)), (-1, 3, -1), (150, 1, 200), (400, -1, -1)] {
                let single = ListOffsetsRequest(isolationLevel: 1, topics: [offsetsTopic("t", [.init(index: 0, timestamp: timestamp)])])
                let partition = try #require(try client.send(single, version: version).topics.first?.partitions.first)
                #expect([partition.offset, partition.timestamp] == [offset, found], "v\(version) at \(timestamp)")
                #expect(partition.leaderEpoch == (version >= 4 && offset >= 0 ? 0 : -1), "v\(version) at \(timestamp)")
                #expect(partition.oldStyleOffsets.isEmpty)
            }
            let answer = try client.send(request, version: version)
            #expect(answer.topics.map(\.name) == ["t", "gone"])
            #expect(answer.topics[0].partitions.map(\.errorCode) == [KafkaErrorCode.invalidRequest.rawValue], "v\(version)")
            #expect(answer.topics[1].partitions.map(\.errorCode) == [KafkaErrorCode.unknownTopicOrPartition.rawValue])
        }
    }

    @Test("ListOffsets v4+ refuses a leader epoch other than the partition's: newer is UNKNOWN_LEADER_EPOCH, older FENCED_LEADER_EPOCH")
    func listOffsetsLeaderEpoch() throws {
        let client = try ClusterClient()
        try client.broker.createTopic("t", partitions: 1)
        for (epoch, code) in [(Int32(-1), Int16(0)), (0, 0), (1, 75), (-5, 74)] {
            let request = ListOffsetsRequest(topics: [offsetsTopic("t", [.init(index: 0, timestamp: -1, currentLeaderEpoch: epoch)])])
            #expect(try client.send(request, version: 4).topics.first?.partitions.first?.errorCode == code, "epoch \(epoch)")
            #expect(try client.send(request, version: 3).topics.first?.partitions.first?.errorCode == 0, "v3 sends no epoch")
        }
    }

    @Test("FindCoordinator v0–v3 names this broker (v1+ with the message NONE, as Kafka 2.5); an unknown key type is INVALID_REQUEST")
    func findCoordinator() throws {
        let client = try ClusterClient()
        for version in Int16(0)...3 {
            let response = try client.send(FindCoordinatorRequest(key: "group", keyType: version >= 1 ? 1 : 0), version: version)
            #expect([response.nodeId, response.port] == [1, 9092] && response.host == "127.0.0.1" && response.errorCode == 0)
            #expect(response.errorMessage == (version >= 1 ? "NONE" : nil))
        }
        let bad = try client.send(FindCoordinatorRequest(key: "group", keyType: 2), version: 3)
        #expect(bad.errorCode == KafkaErrorCode.invalidRequest.rawValue && bad.nodeId == -1 && bad.host == "" && bad.port == -1)
    }

    @Test("InitProducerId v0–v3 gives a new id at epoch 0; v3 naming only one of id and epoch, or a transactional id, is INVALID_REQUEST")
    func initProducerId() throws {
        let client = try ClusterClient()
        var last: Int64 = -1
        for version in Int16(0)...3 {
            let response = try client.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60_000), version: version)
            #expect(response.errorCode == 0 && response.producerEpoch == 0 && response.producerId > last)
            last = response.producerId
        }
        let bumped = try client.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 1, producerId: last, producerEpoch: 0), version: 3)
        #expect(bumped.errorCode == 0 && bumped.producerId > last && bumped.producerEpoch == 0)
        let half = try client.send(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 1, producerId: last, producerEpoch: -1), version: 3)
        #expect([Int64(half.errorCode), half.producerId, Int64(half.producerEpoch)] == [42, -1, -1])
        #expect(try client.send(InitProducerIdRequest(transactionalId: "tx", transactionTimeoutMs: 1), version: 2).errorCode == 42)
    }

    @Test("CreateTopics v0–v5 creates topics; v5 answers partitions, replication factor and configs with their sources")
    func createTopics() throws {
        let client = try ClusterClient()
        for version in Int16(0)...5 {
            let topic = CreateTopicsRequest.Topic(name: "t\(version)", numPartitions: 3, replicationFactor: 1,
                                                  configs: [.init(name: "cleanup.policy", value: "compact")])
            let result = try #require(try client.send(CreateTopicsRequest(topics: [topic]), version: version).topics.first)
            #expect(result.name == "t\(version)" && result.errorCode == 0 && result.errorMessage == nil)
            #expect(try client.broker.describeTopic("t\(version)").partitions.count == 3)
            #expect([result.numPartitions, Int32(result.replicationFactor)] == (version >= 5 ? [3, 1] : [-1, -1]))
            let configs = result.configs ?? []
            #expect(configs.isEmpty == (version < 5))
            if version >= 5 {
                #expect(configs.first { $0.name == "cleanup.policy" } == .init(name: "cleanup.policy", value: "compact", configSource: 1))
                #expect(configs.first { $0.name == "retention.ms" } == .init(name: "retention.ms", value: "604800000", configSource: 5))
                #expect(!configs.contains { $0.name == "segment.records" }, "EventLab's own configs appear only where set")
            }
        }
    }

    @Test("CreateTopics: a name twice fails in both entries and creates nothing; assignments give the partition count; v1+ validate only")
    func createTopicsRules() throws {
        let client = try ClusterClient()
        let twice = CreateTopicsRequest(topics: [.init(name: "dup", numPartitions: 1, replicationFactor: 1), .init(name: "dup", numPartitions: 2, replicationFactor: 1)])
        let duplicate = try client.send(twice, version: 1)
        #expect(duplicate.topics.map(\.errorCode) == [42, 42])
        #expect(duplicate.topics.map(\.errorMessage) == ["Found multiple entries for this topic.", "Found multiple entries for this topic."])
        let assigned = CreateTopicsRequest.Topic(name: "assigned", numPartitions: -1, replicationFactor: -1,
                                                 assignments: [.init(partitionIndex: 0, brokerIds: [1]), .init(partitionIndex: 1, brokerIds: [1])])
        var both = assigned
        both.name = "both"
        both.numPartitions = 2
        var elsewhere = assigned
        elsewhere.name = "elsewhere"
        elsewhere.assignments[1].brokerIds = [2]
        let answer = try client.send(CreateTopicsRequest(topics: [assigned, both, elsewhere]), version: 5)
        #expect(answer.topics.map(\.errorCode) == [0, 42, 39])
        #expect(answer.topics.first?.numPartitions == 2)
        let validated = try client.send(CreateTopicsRequest(topics: [.init(name: "checked", numPartitions: 4, replicationFactor: 1)], validateOnly: true), version: 1)
        #expect(validated.topics.map(\.errorCode) == [0])
        #expect(client.broker.topics().map(\.name) == ["assigned"])
        #expect(try client.broker.describeTopic("assigned").partitions.count == 2)
    }

    @Test("DeleteTopics v0–v4 deletes each topic once; a missing one is UNKNOWN_TOPIC_OR_PARTITION, a repeated one answered alike")
    func deleteTopics() throws {
        let client = try ClusterClient()
        for version in Int16(0)...4 {
            try client.broker.createTopic("t", partitions: 1)
            let response = try client.send(DeleteTopicsRequest(topicNames: ["t", "missing", "t"]), version: version)
            #expect(response.responses.map(\.name) == ["t", "missing", "t"])
            #expect(response.responses.map(\.errorCode) == [0, 3, 0], "v\(version)")
            #expect(client.broker.topics().isEmpty)
        }
    }
}
