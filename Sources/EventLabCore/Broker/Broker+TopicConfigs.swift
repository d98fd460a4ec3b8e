extension Broker {
    /// The config a topic gets for what its creator leaves unset, as a Kafka broker's `log.*`
    /// settings give it: Kafka's defaults, except that on the logical clock a topic gets
    /// LogAppendTime (Kafka's `log.message.timestamp.type`). Real clients stamp records with
    /// today's date while a logical clock lives in 2024, so CreateTime records would sit in the
    /// future of every `clock advance`, and time retention would never remove them. The value
    /// is stored with the topic, so its type never flips between sessions.
    public var topicDefaults: TopicConfig {
        var config = TopicConfig()
        if scheduler.isVirtual { config.messageTimestampType = .logAppendTime }
        return config
    }

    /// Every config of topic `name` with its value and where the value comes from, as
    /// DescribeConfigs lists them.
    public func describeConfigs(_ name: String) throws(BrokerError) -> [TopicConfigValue] {
        try describeTopic(name).config.values
    }

    /// Sets each named config of topic `name` to its value, or back to its default (this
    /// broker's ``topicDefaults``) when the value is nil, as AlterConfigs' SET and DELETE do: all of them, or none when one name is
    /// unknown or one value is bad. The topic's new config applies to the next append, roll and cleaning.
    ///
    /// - Returns: the topic's config after the change.
    /// - Throws: `INVALID_CONFIG` for the first unknown name or bad value, saying what would be right.
    @discardableResult
    public func alterConfigs(_ name: String, _ changes: [(name: String, value: String?)]) throws(BrokerError) -> TopicConfig {
        let defaults = topicDefaults
        return try state.withLock { state throws(BrokerError) in
            let (topicName, topic) = try state.topic(name)
            var config = topic.config
            for change in changes {
                if let value = change.value { try config.set(change.name, to: value) } else { try config.set(change.name, to: defaults.value(of: change.name)) }
            }
            try state.saveConfig(config, for: topicName)
            state.topics[topicName]!.config = config
            return config
        }
    }
}
