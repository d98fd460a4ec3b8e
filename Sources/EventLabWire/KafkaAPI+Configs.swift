import EventLabCore

/// The config APIs, answered as a Kafka 2.5 broker answers them, with the meaning of `topic alter`:
/// a config a client changes shows in `topic describe`.
extension KafkaAPI {
    /// Each resource's configs: a topic's, with the source of each value; any broker's startup
    /// settings, which every broker of the cluster shares (read-only: they are fixed when
    /// EventLab starts); for the empty broker name, the cluster-wide dynamic defaults, of which
    /// EventLab has none.
    func describeConfigs(_ request: DescribeConfigsRequest) -> DescribeConfigsResponse {
        DescribeConfigsResponse(results: request.resources.map { resource in
            var result = DescribeConfigsResponse.Result()
            result.resourceType = resource.resourceType
            result.resourceName = resource.resourceName
            do throws(BrokerError) {
                let wanted = resource.configurationKeys.map(Set.init)
                result.configs = try describedConfigs(resource.resourceType, resource.resourceName)
                    .filter { wanted?.contains($0.name) ?? true }
                    .map { config in
                        var config = config
                        if !request.includeSynonyms { config.synonyms = [] }
                        return config
                    }
            } catch {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
            }
            return result
        })
    }

    /// Replaces each topic's configs with those given: configs not named return to this
    /// broker's defaults, as Kafka's non-incremental AlterConfigs drops every override it is not sent.
    func alterConfigs(_ request: AlterConfigsRequest) -> AlterConfigsResponse {
        AlterConfigsResponse(responses: request.resources.map { resource in
            Self.resourceResponse(resource.resourceType, resource.resourceName) { () throws(BrokerError) in
                try Self.checkTopicResource(resource.resourceType, resource.resourceName)
                try Self.checkDistinct(resource.configs.map(\.name))
                let nulls = resource.configs.filter { $0.value == nil }.map(\.name)
                guard nulls.isEmpty else {
                    throw BrokerError(.invalidRequest, "\(nulls.joined(separator: ", ")) has no value: leave a config out to return it to its default")
                }
                _ = try broker.describeTopic(resource.resourceName)
                let given = Dictionary(resource.configs.map { ($0.name, $0.value!) }, uniquingKeysWith: { $1 })
                let config = try TopicConfig(configs: given, over: broker.topicDefaults)
                if !request.validateOnly { try broker.alterTopic(resource.resourceName, config: config) }
            }
        })
    }

    /// Applies each named config's operation to its topic: SET, DELETE (back to the default),
    /// and for list configs APPEND and SUBTRACT; all of a resource's operations, or none.
    func incrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest) -> IncrementalAlterConfigsResponse {
        IncrementalAlterConfigsResponse(responses: request.resources.map { resource in
            Self.resourceResponse(resource.resourceType, resource.resourceName) { () throws(BrokerError) in
                try Self.checkTopicResource(resource.resourceType, resource.resourceName)
                try Self.checkDistinct(resource.configs.map(\.name))
                var config = try broker.describeTopic(resource.resourceName).config
                var changes: [(name: String, value: String?)] = []
                for change in resource.configs {
                    let value = try Self.applied(change, to: &config, defaults: broker.topicDefaults)
                    changes.append((change.name, value))
                }
                if !request.validateOnly { try broker.alterConfigs(resource.resourceName, changes) }
            }
        })
    }
}

extension KafkaAPI {
    /// Every config of one resource, with synonyms.
    private func describedConfigs(_ type: Int8, _ name: String) throws(BrokerError) -> [DescribeConfigsResponse.Config] {
        switch ConfigResourceType(rawValue: type) {
        case .topic:
            let defaults = Dictionary(uniqueKeysWithValues: TopicConfig().values.map { ($0.name, $0.value) })
            return try broker.describeConfigs(name).map { value in
                Self.config(value.name, value.value, default: defaults[value.name] ?? value.value,
                            overridden: value.source == .topic, source: TopicConfigValue.Source.topic.rawValue, readOnly: false)
            }
        case .broker:
            if name.isEmpty { return [] }
            let known = broker.brokerIds
            guard let id = Int32(name), known.contains(id) else {
                throw BrokerError(.invalidRequest,
                    "there is no broker '\(name)': \(Self.brokersAre(known)) (or the empty name for cluster-wide defaults)")
            }
            // As Kafka's AdminManager: a broker describes its own configs; a client asks each
            // broker for its own (admin clients send a broker resource to that broker).
            guard id == nodeId else {
                throw BrokerError(.invalidRequest,
                    "Unexpected broker id, expected \(nodeId) or empty string, but received \(name): ask broker \(name) itself, at its own address")
            }
            let defaults = Dictionary(uniqueKeysWithValues: Self.brokerConfigs(BrokerConfig()))
            return Self.brokerConfigs(broker.config).map { name, value in
                Self.config(name, value, default: defaults[name] ?? value, overridden: value != defaults[name],
                            source: Self.staticBrokerConfig, readOnly: true)
            }
        default:
            throw Self.unsupportedResource(type)
        }
    }

    /// Kafka's source code for a setting from the broker's startup configuration.
    private static let staticBrokerConfig: Int8 = 4

    /// A config entry; its synonyms are where its value comes from, first the one that wins:
    /// the override (from `source`) over the default.
    private static func config(
        _ name: String, _ value: String, default defaultValue: String, overridden: Bool, source: Int8, readOnly: Bool
    ) -> DescribeConfigsResponse.Config {
        let defaultSource = TopicConfigValue.Source.default.rawValue
        var config = DescribeConfigsResponse.Config()
        config.name = name
        config.value = value
        config.readOnly = readOnly
        config.isDefault = !overridden
        config.configSource = overridden ? source : defaultSource
        config.synonyms = (overridden ? [.init(name: name, value: value, source: source)] : [])
            + [.init(name: name, value: defaultValue, source: defaultSource)]
        return config
    }

    /// The broker's settings by Kafka's names, in name order.
    private static func brokerConfigs(_ config: BrokerConfig) -> [(String, String)] {
        [
            ("auto.leader.rebalance.enable", String(config.autoLeaderRebalanceEnable)),
            ("group.initial.rebalance.delay.ms", String(config.groupInitialRebalanceDelayMs)),
            ("leader.imbalance.check.interval.seconds", String(config.leaderImbalanceCheckIntervalSeconds)),
            ("log.cleaner.backoff.ms", String(config.logCleanerBackoffMs)),
            ("log.retention.check.interval.ms", String(config.logRetentionCheckIntervalMs)),
            ("offsets.retention.check.interval.ms", String(config.offsetsRetentionCheckIntervalMs)),
            ("offsets.retention.minutes", String(config.offsetsRetentionMinutes)),
            ("replica.lag.time.max.ms", String(config.replicaLagTimeMaxMs)),
        ]
    }

    private static func unsupportedResource(_ type: Int8) -> BrokerError {
        BrokerError(.invalidRequest, "resource type \(type) is not one EventLab has configs for: name a topic (2) or a broker by its id (4)")
    }

    /// The answer for one resource of an alter: the error `change` throws, or none.
    private static func resourceResponse(
        _ type: Int8, _ name: String, _ change: () throws(BrokerError) -> Void
    ) -> AlterConfigsResourceResponse {
        do throws(BrokerError) {
            try change()
            return AlterConfigsResourceResponse(errorCode: 0, errorMessage: nil, resourceType: type, resourceName: name)
        } catch {
            return AlterConfigsResourceResponse(errorCode: error.code.rawValue, errorMessage: error.message, resourceType: type, resourceName: name)
        }
    }

    /// Only topics' configs can change while EventLab runs; a broker's are fixed when it starts.
    private static func checkTopicResource(_ type: Int8, _ name: String) throws(BrokerError) {
        switch ConfigResourceType(rawValue: type) {
        case .topic: return
        case .broker:
            throw BrokerError(.invalidRequest, "broker configs are fixed when EventLab starts: give them as `eventlab serve --set NAME=VALUE`")
        default: throw unsupportedResource(type)
        }
    }

    private static func checkDistinct(_ names: [String]) throws(BrokerError) {
        var seen = Set<String>()
        let repeated = names.filter { !seen.insert($0).inserted }
        guard repeated.isEmpty else {
            throw BrokerError(.invalidRequest, "\(Set(repeated).sorted().joined(separator: ", ")) is named more than once: give each config one operation")
        }
    }

    /// Applies one operation to `config`; returns the config's new value, or nil for its default.
    private static func applied(
        _ change: IncrementalAlterConfigsRequest.Config, to config: inout TopicConfig, defaults: TopicConfig
    ) throws(BrokerError) -> String? {
        let entry = try TopicConfigRegistry.entry(change.name)
        guard let operation = IncrementalAlterConfigsRequest.Operation(rawValue: change.configOperation) else {
            throw BrokerError(.invalidRequest, "operation \(change.configOperation) on \(change.name) is unknown: use 0 SET, 1 DELETE, 2 APPEND or 3 SUBTRACT")
        }
        if operation == .delete {
            try config.set(change.name, to: defaults.value(of: change.name))
            return nil
        }
        guard let value = change.value else {
            throw BrokerError(.invalidRequest, "\(operation) \(change.name) has no value: give one, or DELETE the config to return it to its default")
        }
        var result = value
        if operation == .append || operation == .subtract {
            guard entry.type == .list else {
                throw BrokerError(.invalidRequest, "\(change.name) is not a list config: \(operation) changes lists only (such as cleanup.policy); SET it instead")
            }
            let old = listItems(entry.value(in: config))
            let given = listItems(value)
            let items = operation == .append ? old + given.filter { !old.contains($0) } : old.filter { !given.contains($0) }
            result = items.joined(separator: ",")
        }
        try config.set(change.name, to: result)
        return result
    }

    /// A list config's items, spaces around them dropped, as Kafka reads a list.
    private static func listItems(_ text: String) -> [String] {
        text.split(separator: ",").map { item in
            String(item.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        }.filter { !$0.isEmpty }
    }
}
