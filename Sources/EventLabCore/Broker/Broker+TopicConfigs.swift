extension Broker {
    /// Every config of topic `name` with its value and where the value comes from, as
    /// DescribeConfigs lists them.
    public func describeConfigs(_ name: String) throws(BrokerError) -> [TopicConfigValue] {
        try describeTopic(name).config.values
    }

    /// Sets each named config of topic `name` to its value, or back to its default when the
    /// value is nil, as AlterConfigs' SET and DELETE do: all of them, or none when one name is
    /// unknown or one value is bad. The topic's new config applies to the next append, roll and cleaning.
    ///
    /// - Returns: the topic's config after the change.
    /// - Throws: `INVALID_CONFIG` for the first unknown name or bad value, saying what would be right.
    @discardableResult
    public func alterConfigs(_ name: String, _ changes: [(name: String, value: String?)]) throws(BrokerError) -> TopicConfig {
        try state.withLock { state throws(BrokerError) in
            let (topicName, topic) = try state.topic(name)
            var config = topic.config
            for change in changes { try config.set(change.name, to: change.value) }
            try state.storage.saveConfig(config, for: topicName)
            state.topics[topicName]!.config = config
            return config
        }
    }
}
