/// One config of a topic as DescribeConfigs reports it.
public struct TopicConfigValue: Hashable, Sendable {
    /// Where a value comes from, with Kafka's DescribeConfigs codes.
    public enum Source: Int8, Hashable, Sendable {
        /// Set on the topic to a value other than the default.
        case topic = 1
        /// Kafka's default. A topic keeps values, not which of them were given, so a value given
        /// equal to its default reads as the default.
        case `default` = 5
    }

    /// Kafka's name, such as `retention.ms`.
    public let name: String
    /// In Kafka's spelling: `-1` for no limit, `compact,delete` for both policies.
    public let value: String
    /// Whether the topic changed the value.
    public let source: Source
    /// Whether the value is Kafka's default, as DescribeConfigs' `is_default` says.
    public var isDefault: Bool { source == .default }
}

extension TopicConfig {
    /// Every config from `configs` (Kafka's names and spellings) set over `defaults` (Kafka's,
    /// unless a broker's ``Broker/topicDefaults`` are given).
    ///
    /// - Throws: `INVALID_CONFIG` for the first unknown name or bad value, in name order.
    public init(configs: [String: String], over defaults: TopicConfig = TopicConfig()) throws(BrokerError) {
        self = defaults
        for (name, value) in configs.sorted(by: { $0.key < $1.key }) { try set(name, to: value) }
    }

    /// The value of the config called `name`, in Kafka's spelling.
    ///
    /// - Throws: `INVALID_CONFIG` for a name that is not a topic config.
    public func value(of name: String) throws(BrokerError) -> String {
        try TopicConfigRegistry.entry(name).value(in: self)
    }

    /// Sets the config called `name` from `text` in Kafka's spelling, or back to its default when nil.
    ///
    /// - Throws: `INVALID_CONFIG` for an unknown name or a bad value; nothing changes then.
    public mutating func set(_ name: String, to text: String?) throws(BrokerError) {
        let entry = try TopicConfigRegistry.entry(name)
        try entry.set(text ?? entry.defaultValue, in: &self)
    }

    /// Every config with its value and where the value comes from, in name order.
    public var values: [TopicConfigValue] {
        TopicConfigRegistry.entries.map { entry in
            let value = entry.value(in: self)
            return TopicConfigValue(name: entry.name, value: value, source: value == entry.defaultValue ? .default : .topic)
        }
    }

    /// Checks every value against its config's rule, so a bad config never reaches a topic.
    ///
    /// - Throws: `INVALID_CONFIG` naming the config and what it allows.
    public func validate() throws(BrokerError) {
        for entry in TopicConfigRegistry.entries {
            var copy = self
            try entry.set(entry.value(in: self), in: &copy)
            // A limit set to -1 in code, not nil, reads back as -1 but would act as a limit.
            guard copy == self else {
                throw BrokerError(.invalidConfig, "\(entry.name) holds \(entry.value(in: self)) as a limit: no limit is nil")
            }
        }
    }
}
