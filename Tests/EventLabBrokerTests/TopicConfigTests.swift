@testable import EventLabCore
import EventLabTestSupport
import Testing

@Suite("Topic configs by name")
struct TopicConfigTests {
    @Test("configs altered by name are kept across a restart and described with their source", arguments: Backend.allCases)
    func alterAndDescribe(backend: Backend) throws {
        let test = try TestBroker(backend)
        try test.broker.createTopic("t", partitions: 1)
        try test.broker.alterConfigs("t", [("retention.ms", "-1"), ("cleanup.policy", "compact, delete"), ("segment.records", "4")])
        try test.broker.alterConfigs("t", [("segment.records", nil)])
        try test.reopen(clean: true)
        let described = try test.broker.describeConfigs("t")
        #expect(described.map(\.name) == TopicConfigRegistry.entries.map(\.name))
        #expect(described.filter { !$0.isDefault } == [
            TopicConfigValue(name: "cleanup.policy", value: "compact,delete", source: .topic),
            TopicConfigValue(name: "retention.ms", value: "-1", source: .topic),
        ])
        #expect(described.contains(TopicConfigValue(name: "segment.records", value: "-1", source: .default)))
        #expect(try test.broker.describeTopic("t").config.retentionMs == nil)
    }

    @Test("an alteration with one unknown name or bad value changes nothing and says what would be right", arguments: Backend.allCases)
    func badAlterationChangesNothing(backend: Backend) throws {
        let test = try TestBroker(backend)
        try test.broker.createTopic("t", partitions: 1)
        let unknown = brokerError { try test.broker.alterConfigs("t", [("retention.ms", "-1"), ("retention_bytes", "5")]) }
        #expect(unknown == BrokerError(.invalidConfig, "retention_bytes is not a topic config: did you mean retention.bytes?"))
        let bad = brokerError { try test.broker.alterConfigs("t", [("retention.ms", "-1"), ("segment.bytes", "13")]) }
        #expect(bad == BrokerError(.invalidConfig, "segment.bytes is 13: it must be at least 14"))
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("t").config == TopicConfig())
        #expect(brokerError { try test.broker.alterConfigs("gone", [("retention.ms", "1")]) }?.code == .unknownTopicOrPartition)
    }
}
