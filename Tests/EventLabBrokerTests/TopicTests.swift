import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("Topics")
struct TopicTests {
    @Test("a created topic is listed and described with empty partitions", arguments: Backend.allCases)
    func createAndDescribe(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 3)
        try broker.createTopic("payments", partitions: 1)
        #expect(broker.topics().map(\.name) == ["orders", "payments"])
        let orders = try broker.describeTopic("orders")
        #expect(orders.partitions.map(\.index) == [0, 1, 2])
        #expect(orders.partitions.allSatisfy { $0.logStartOffset == 0 && $0.logEndOffset == 0 && $0.segments.count == 1 })
    }

    static let illegalNames = ["../x", "", "a/b", String(repeating: "a", count: 250), ".", "..", "café", "a b", "x\u{0}"]

    @Test("illegal names are refused with INVALID_TOPIC_EXCEPTION and nothing is created", arguments: Backend.allCases, illegalNames)
    func illegalName(backend: Backend, name: String) {
        let (broker, _) = makeBroker(backend)
        let error = brokerError { try broker.createTopic(name, partitions: 1) }
        #expect(error?.code == .invalidTopic)
        #expect(error?.message.isEmpty == false)
        #expect(broker.topics().isEmpty)
    }

    @Test("Kafka's internal topics cannot be created: only brokers write them", arguments: Backend.allCases, ["__consumer_offsets", "__transaction_state"])
    func internalName(backend: Backend, name: String) {
        let (broker, _) = makeBroker(backend)
        let error = brokerError { try broker.createTopic(name, partitions: 1) }
        #expect(error?.code == .invalidTopic)
        #expect(error?.message.contains("internal topics") == true)
        #expect(broker.topics().isEmpty)
    }

    @Test("a name equal to an existing topic's once '.' and '_' are the same is refused, naming that topic", arguments: Backend.allCases)
    func collidingName(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders.eu_west", partitions: 1)
        for name in ["orders_eu_west", "orders.eu.west", "orders_eu.west"] {
            let error = brokerError { try broker.createTopic(name, partitions: 1) }
            #expect(error?.code == .invalidTopic)
            #expect(error?.message.hasPrefix("topic '\(name)' collides with existing topic 'orders.eu_west':") == true)
        }
        #expect(brokerError { try broker.createTopic("orders.eu_west", partitions: 1) }?.code == .topicAlreadyExists)
        try broker.createTopic("orders-eu-west", partitions: 1)
        #expect(broker.topics().map(\.name) == ["orders-eu-west", "orders.eu_west"])
    }

    @Test("249 characters and every legal character make a valid name", arguments: Backend.allCases)
    func longestName(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic(String(repeating: "a", count: 249), partitions: 1)
        try broker.createTopic("Az09._-", partitions: 1)
        #expect(broker.topics().count == 2)
    }

    @Test("zero, negative or too many partitions are refused with INVALID_PARTITIONS", arguments: Backend.allCases, [0, -1, 1001])
    func badPartitionCount(backend: Backend, count: Int) {
        let (broker, _) = makeBroker(backend)
        let error = brokerError { try broker.createTopic("orders", partitions: count) }
        #expect(error?.code == .invalidPartitions)
        #expect(error?.message.contains("1 to 1000") == true)
        #expect(broker.topics().isEmpty)
    }

    @Test("creating a topic twice fails with TOPIC_ALREADY_EXISTS and keeps the first", arguments: Backend.allCases)
    func duplicate(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 3)
        #expect(brokerError { try broker.createTopic("orders", partitions: 1) }?.code == .topicAlreadyExists)
        #expect(try broker.describeTopic("orders").partitions.count == 3)
    }

    @Test("an unknown topic error names the topics that exist", arguments: Backend.allCases)
    func unknownTopic(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 1)
        let error = brokerError { _ = try broker.describeTopic("order") }
        #expect(error?.code == .unknownTopicOrPartition)
        #expect(error?.message == "topic 'order' does not exist (topics: orders)")
    }

    @Test("a deleted topic is gone with its records and group offsets", arguments: Backend.allCases)
    func delete(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 1)
        try broker.publishEach("orders", [("k", "v")])
        _ = broker.commitOffsets(groupId: "billing", offsets: [TopicPartition("orders", 0): CommittedOffset(offset: 1)])
        try broker.deleteTopic("orders")
        #expect(broker.topics().isEmpty)
        #expect(broker.committedOffsets(groupId: "billing").isEmpty)
        #expect(brokerError { try broker.deleteTopic("orders") }?.code == .unknownTopicOrPartition)
        try broker.createTopic("orders", partitions: 1)
        #expect(try broker.offsets("orders", partition: 0).logEndOffset == 0)
    }

    @Test("partitions can be added but never removed", arguments: Backend.allCases)
    func addPartitions(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 2)
        try broker.addPartitions("orders", to: 4)
        #expect(try broker.describeTopic("orders").partitions.count == 4)
        let error = brokerError { try broker.addPartitions("orders", to: 3) }
        #expect(error?.code == .invalidPartitions)
        #expect(error?.message.contains("never removed") == true)
        #expect(try broker.describeTopic("orders").partitions.count == 4)
    }

    @Test("a bad config is refused with INVALID_CONFIG naming the setting", arguments: Backend.allCases)
    func badConfig(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        var config = TopicConfig()
        config.segmentRecords = 0
        let error = brokerError { try broker.createTopic("orders", partitions: 1, config: config) }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message == "segment.records is 0: it must be at least 1, or -1 for no limit")
        #expect(broker.topics().isEmpty)
        try broker.createTopic("orders", partitions: 1)
        #expect(brokerError { try broker.alterTopic("orders", config: config) }?.code == .invalidConfig)
        #expect(try broker.describeTopic("orders").config == TopicConfig())
    }
}
