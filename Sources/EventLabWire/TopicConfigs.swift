import EventLabCore

/// Topic configs by Kafka's names, as CreateTopics sends them.
enum TopicConfigs {
    /// The config `configs` asks for over `defaults`; a null value keeps the config's default, as in Kafka.
    static func parse(_ configs: [String: String?], over defaults: TopicConfig) throws(BrokerError) -> TopicConfig {
        try TopicConfig(configs: configs.compactMapValues { $0 }, over: defaults)
    }
}
