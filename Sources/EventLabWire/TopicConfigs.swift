import EventLabCore

/// Topic configs by Kafka's names, as CreateTopics sends them.
enum TopicConfigs {
    static func parse(_ configs: [String: String?]) throws(BrokerError) -> TopicConfig {
        var config = TopicConfig()
        for (name, value) in configs.sorted(by: { $0.key < $1.key }) {
            guard let value else { continue }
            func number() throws(BrokerError) -> Int64 {
                guard let number = Int64(value) else { throw BrokerError(.invalidConfig, "\(name)=\(value) is not a number") }
                return number
            }
            switch name {
            case "cleanup.policy":
                switch value {
                case "delete": config.cleanupPolicy = .delete
                case "compact": config.cleanupPolicy = .compact
                case "compact,delete", "delete,compact": config.cleanupPolicy = [.compact, .delete]
                default: throw BrokerError(.invalidConfig, "cleanup.policy=\(value): use delete, compact or compact,delete")
                }
            case "retention.ms": config.retentionMs = try number() < 0 ? nil : try number()
            case "retention.bytes": config.retentionBytes = try number() < 0 ? nil : try number()
            case "segment.bytes": config.segmentBytes = Int(try number())
            case "segment.ms": config.segmentMs = try number()
            case "max.message.bytes": config.maxMessageBytes = Int(try number())
            case "delete.retention.ms": config.deleteRetentionMs = try number()
            default: throw BrokerError(.invalidConfig, "EventLab does not know the topic config \(name)")
            }
        }
        try config.validate()
        return config
    }
}
