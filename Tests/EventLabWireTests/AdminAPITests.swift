import EventLabCore
@testable import EventLabWire
import EventLabTestSupport
import Synchronization
import Testing

/// Sends `request` at `version` as a client would (a framed request, header v2 in a flexible
/// version) and reads the answer at that version.
func exchange<R: KafkaRequest>(_ broker: Broker, _ request: R, version: Int16) throws -> R.Response {
    let api = KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092)
    let flexible = R.apiKey.flexibleVersions.contains(version)
    let body = try request.encoded(version: version, flexible: flexible).bytes()
    let bytes = frame(key: R.apiKey, version: version) { writer in
        if flexible { writer.noTaggedFields() }
        writer.raw(body)
    }
    let (header, decoded) = try RequestDecoder.decode(bytes)
    let answer = Mutex<[UInt8]?>(nil)
    api.handle(header, decoded) { reply in answer.withLock { $0 = try? reply.body?.bytes() } }
    var reader = WireReader(try #require(answer.withLock { $0 }))
    let response = try R.Response.decoded(from: &reader, version: version, flexible: flexible)
    #expect(reader.remaining == 0)
    return response
}


private let topicType = ConfigResourceType.topic.rawValue
private let brokerType = ConfigResourceType.broker.rawValue

@Suite("Admin APIs: configs and partitions, as the REPL sees them")
struct AdminAPITests {
    @Test("ApiVersions advertises the admin APIs at Kafka 2.5's versions")
    func advertised() {
        let apis = Dictionary(uniqueKeysWithValues: ApiVersionsResponse.supported.apiKeys.map { ($0.apiKey, [$0.minVersion, $0.maxVersion]) })
        #expect(apis[32] == [0, 2])
        #expect(apis[33] == [0, 1])
        #expect(apis[37] == [0, 2])
        #expect(apis[44] == [0, 1])
    }

    @Test("DescribeConfigs lists a topic's configs with their sources: is_default in v0, config_source and synonyms from v1",
          arguments: Backend.allCases)
    func describeTopic(_ backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.retentionMs = 1000
        _ = try test.broker.createTopic("orders", partitions: 1, config: config)
        let all = DescribeConfigsRequest(resources: [.init(resourceType: topicType, resourceName: "orders")], includeSynonyms: true)
        let v0 = try exchange(test.broker, all, version: 0).results[0]
        #expect(v0.errorCode == 0)
        #expect(v0.configs.map(\.name) == TopicConfigRegistry.entries.map(\.name))
        let retention = try #require(v0.configs.first { $0.name == "retention.ms" })
        #expect(retention.value == "1000" && !retention.isDefault && !retention.readOnly && !retention.isSensitive)
        #expect(v0.configs.first { $0.name == "segment.bytes" }?.isDefault == true)

        for version: Int16 in [1, 2] {
            let configs = try exchange(test.broker, all, version: version).results[0].configs
            let retention = try #require(configs.first { $0.name == "retention.ms" })
            #expect(retention.configSource == 1)
            #expect(retention.synonyms == [.init(name: "retention.ms", value: "1000", source: 1), .init(name: "retention.ms", value: "604800000", source: 5)])
            let segment = try #require(configs.first { $0.name == "segment.bytes" })
            #expect(segment.configSource == 5 && segment.synonyms == [.init(name: "segment.bytes", value: "1073741824", source: 5)])
        }
        var plain = all
        plain.includeSynonyms = false
        #expect(try exchange(test.broker, plain, version: 1).results[0].configs.allSatisfy { $0.synonyms.isEmpty })

        let some = DescribeConfigsRequest(resources: [
            .init(resourceType: topicType, resourceName: "orders", configurationKeys: ["retention.ms", "no.such.config"]),
            .init(resourceType: topicType, resourceName: "orders", configurationKeys: []),
        ])
        let results = try exchange(test.broker, some, version: 2).results
        #expect(results.map { $0.configs.map(\.name) } == [["retention.ms"], []])
    }

    @Test("DescribeConfigs answers an unknown topic UNKNOWN_TOPIC_OR_PARTITION, broker 1 with its startup settings, the empty broker name with none")
    func describeOthers() throws {
        var settings = BrokerConfig()
        settings.logRetentionCheckIntervalMs = 200
        let test = try TestBroker(.memory, config: settings)
        let request = DescribeConfigsRequest(resources: [
            .init(resourceType: topicType, resourceName: "missing"),
            .init(resourceType: brokerType, resourceName: "1"),
            .init(resourceType: brokerType, resourceName: ""),
            .init(resourceType: brokerType, resourceName: "2"),
            .init(resourceType: ConfigResourceType.brokerLogger.rawValue, resourceName: "1"),
        ], includeSynonyms: true)
        let results = try exchange(test.broker, request, version: 1).results
        #expect(results.map(\.errorCode) == [3, 0, 0, 42, 42])
        #expect(results[0].errorMessage?.contains("'missing' does not exist") == true)
        let broker = results[1].configs
        #expect(broker.map(\.name) == BrokerConfig.names)
        #expect(broker.allSatisfy { $0.readOnly })
        let check = try #require(broker.first { $0.name == "log.retention.check.interval.ms" })
        #expect(check.value == "200" && check.configSource == 4)
        #expect(check.synonyms.map(\.source) == [4, 5])
        #expect(broker.first { $0.name == "offsets.retention.minutes" }.map { [$0.value, "\($0.configSource)"] } == ["10080", "5"])
        #expect(results[2].configs.isEmpty)
        #expect(results[3].errorMessage?.contains("broker 1 alone") == true)
    }

    @Test("AlterConfigs replaces a topic's configs: those not named return to their defaults, and topic describe shows it",
          arguments: Backend.allCases)
    func alterReplaces(_ backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = test.broker.topicDefaults
        config.retentionMs = 1000
        _ = try test.broker.createTopic("orders", partitions: 1, config: config)
        let set = AlterConfigsRequest(resources: [.init(resourceType: topicType, resourceName: "orders", configs: [.init(name: "segment.bytes", value: "4096")])])
        for version: Int16 in [0, 1] {
            #expect(try exchange(test.broker, set, version: version).responses == [.init(errorCode: 0, errorMessage: nil, resourceType: topicType, resourceName: "orders")])
        }
        try test.reopen(clean: true)
        var expected = test.broker.topicDefaults
        expected.segmentBytes = 4096
        #expect(try test.broker.describeTopic("orders").config == expected)
    }

    @Test("AlterConfigs refuses unknown configs, null values, unknown topics and broker configs, and validate_only changes nothing")
    func alterRefuses() throws {
        let test = try TestBroker(.memory)
        _ = try test.broker.createTopic("orders", partitions: 1, config: test.broker.topicDefaults)
        func answer(_ name: String, _ configs: [AlterConfigsRequest.Config], type: Int8 = topicType, validateOnly: Bool = false) throws -> AlterConfigsResourceResponse {
            let request = AlterConfigsRequest(resources: [.init(resourceType: type, resourceName: name, configs: configs)], validateOnly: validateOnly)
            return try exchange(test.broker, request, version: 1).responses[0]
        }
        let unknown = try answer("orders", [.init(name: "retention.ms", value: "5"), .init(name: "retention.msec", value: "5")])
        #expect(unknown.errorCode == 40 && unknown.errorMessage?.contains("retention.msec") == true)
        #expect(try answer("orders", [.init(name: "retention.ms", value: "-7")]).errorCode == 40)
        #expect(try answer("orders", [.init(name: "retention.ms", value: nil)]).errorCode == 42)
        #expect(try answer("orders", [.init(name: "retention.ms", value: "5"), .init(name: "retention.ms", value: "6")]).errorCode == 42)
        #expect(try answer("missing", [.init(name: "retention.ms", value: "5")]).errorCode == 3)
        #expect(try answer("1", [.init(name: "log.retention.check.interval.ms", value: "5")], type: brokerType).errorCode == 42)
        #expect(try answer("orders", [.init(name: "retention.ms", value: "5")], validateOnly: true).errorCode == 0)
        #expect(try test.broker.describeTopic("orders").config == test.broker.topicDefaults)
    }

    @Test("IncrementalAlterConfigs sets, deletes, appends to and subtracts from lists, all of a resource's operations or none",
          arguments: Backend.allCases)
    func incremental(_ backend: Backend) throws {
        let test = try TestBroker(backend)
        var start = test.broker.topicDefaults
        start.segmentBytes = 4096
        _ = try test.broker.createTopic("orders", partitions: 1, config: start)
        func answer(_ configs: [IncrementalAlterConfigsRequest.Config], version: Int16 = 1, validateOnly: Bool = false) throws -> (Int16, String?) {
            let request = IncrementalAlterConfigsRequest(resources: [.init(resourceType: topicType, resourceName: "orders", configs: configs)], validateOnly: validateOnly)
            let response = try exchange(test.broker, request, version: version).responses[0]
            return (response.errorCode, response.errorMessage)
        }
        #expect(try answer([.init(name: "retention.ms", operation: .set, value: "1000"), .init(name: "segment.bytes", operation: .delete, value: nil)], version: 0).0 == 0)
        #expect(try answer([.init(name: "cleanup.policy", operation: .append, value: "compact")]).0 == 0)
        var expected = test.broker.topicDefaults
        expected.retentionMs = 1000
        expected.cleanupPolicy = [.compact, .delete]
        #expect(try test.broker.describeTopic("orders").config == expected)

        let refused = try answer([.init(name: "cleanup.policy", operation: .subtract, value: "delete"), .init(name: "retention.ms", operation: .append, value: "5")])
        #expect(refused.0 == 42 && refused.1?.contains("retention.ms is not a list") == true)
        #expect(try answer([.init(name: "retention.ms", operation: .set, value: nil)]).0 == 42)
        #expect(try answer([.init(name: "retention.bytes", operation: .set, value: "x")]).0 == 40)
        #expect(try answer([.init(name: "cleanup.policy", operation: .subtract, value: "delete")], validateOnly: true).0 == 0)
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("orders").config == expected)

        #expect(try answer([.init(name: "cleanup.policy", operation: .subtract, value: "delete")]).0 == 0)
        #expect(try test.broker.describeTopic("orders").config.cleanupPolicy == .compact)
    }

    @Test("CreatePartitions grows a topic, in every version; fewer or as many partitions, other brokers and validate_only change nothing",
          arguments: Backend.allCases)
    func createPartitions(_ backend: Backend) throws {
        let test = try TestBroker(backend)
        _ = try test.broker.createTopic("orders", partitions: 1)
        func answer(_ count: Int32, _ assignments: [[Int32]]? = nil, name: String = "orders", version: Int16 = 2, validateOnly: Bool = false) throws -> (Int16, String?) {
            let topic = CreatePartitionsRequest.Topic(name: name, count: count, assignments: assignments.map { $0.map(CreatePartitionsRequest.Assignment.init) })
            let result = try exchange(test.broker, CreatePartitionsRequest(topics: [topic], validateOnly: validateOnly), version: version).results[0]
            #expect(result.name == name)
            return (result.errorCode, result.errorMessage)
        }
        #expect(try answer(2, version: 0).0 == 0)
        #expect(try answer(4, [[1], [1]], version: 1).0 == 0)
        #expect(try answer(5).0 == 0)
        #expect(try answer(5).1 == "topic 'orders' already has 5 partitions: ask for more than 5")
        #expect(try answer(3).0 == 37)
        #expect(try answer(6, [[2]]).0 == 39)
        #expect(try answer(7, [[1]]).0 == 39)
        #expect(try answer(6, [[1, 1]]).0 == 39)
        #expect(try answer(6, [[]]).0 == 39)
        #expect(try answer(9, validateOnly: true).0 == 0)
        #expect(try answer(2, name: "missing").0 == 3)
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("orders").partitions.map(\.index) == [0, 1, 2, 3, 4])

        let twice = CreatePartitionsRequest(topics: [.init(name: "orders", count: 8), .init(name: "orders", count: 9)])
        #expect(try exchange(test.broker, twice, version: 2).results.map(\.errorCode) == [42, 42])
    }
}
