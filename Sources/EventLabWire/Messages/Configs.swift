/// Kafka's config resource types, as DescribeConfigs, AlterConfigs and IncrementalAlterConfigs
/// name what they read or change.
public enum ConfigResourceType: Int8, Sendable {
    case topic = 2
    case broker = 4
    case brokerLogger = 8
}

/// DescribeConfigs: the configs of topics or brokers, by resource (v0–v2).
public struct DescribeConfigsRequest: Equatable, KafkaRequest {
    public struct Resource: Equatable, WireStruct {
        public var resourceType: Int8 = 0
        public var resourceName: String = ""
        /// The configs to list; null lists all of them.
        public var configurationKeys: [String]?

        public init() {}

        public init(resourceType: Int8, resourceName: String, configurationKeys: [String]? = nil) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configurationKeys = configurationKeys
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&resourceType, "0+")
            try coder.field(&resourceName, "0+")
            try coder.field(&configurationKeys, "0+")
        }
    }

    public typealias Response = DescribeConfigsResponse
    public static var apiKey: ApiKey { .describeConfigs }

    public var resources: [Resource] = []
    public var includeSynonyms = false

    public init() {}

    public init(resources: [Resource], includeSynonyms: Bool = false) {
        self.resources = resources
        self.includeSynonyms = includeSynonyms
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&resources, "0+")
        try coder.field(&includeSynonyms, "1+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.describeConfigs(self))))
    }
}

public struct DescribeConfigsResponse: Equatable, WireStruct {
    /// Another place the value could come from, in the order the broker looks (v1+).
    public struct Synonym: Equatable, WireStruct {
        public var name: String = ""
        public var value: String?
        public var source: Int8 = 0

        public init() {}

        public init(name: String, value: String?, source: Int8) {
            self.name = name
            self.value = value
            self.source = source
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "1+")
            try coder.field(&value, "1+")
            try coder.field(&source, "1+")
        }
    }

    public struct Config: Equatable, WireStruct {
        public var name: String = ""
        public var value: String?
        public var readOnly = false
        /// Whether the value is the default (v0; later versions say it through `configSource`).
        public var isDefault = false
        /// Where the value comes from: 1 the topic, 4 the broker's startup settings, 5 the default (v1+).
        public var configSource: Int8 = -1
        public var isSensitive = false
        public var synonyms: [Synonym] = []

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&value, "0+")
            try coder.field(&readOnly, "0+")
            try coder.field(&isDefault, "0")
            try coder.field(&configSource, "1+")
            try coder.field(&isSensitive, "0+")
            try coder.field(&synonyms, "1+")
        }
    }

    public struct Result: Equatable, WireStruct {
        public var errorCode: Int16 = 0
        public var errorMessage: String?
        public var resourceType: Int8 = 0
        public var resourceName: String = ""
        public var configs: [Config] = []

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&errorCode, "0+")
            try coder.field(&errorMessage, "0+")
            try coder.field(&resourceType, "0+")
            try coder.field(&resourceName, "0+")
            try coder.field(&configs, "0+")
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var results: [Result] = []

    public init() {}

    public init(results: [Result]) { self.results = results }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "0+")
        try coder.field(&results, "0+")
    }
}

/// The answer AlterConfigs and IncrementalAlterConfigs give for one resource.
public struct AlterConfigsResourceResponse: Equatable, WireStruct {
    public var errorCode: Int16 = 0
    public var errorMessage: String?
    public var resourceType: Int8 = 0
    public var resourceName: String = ""

    public init() {}

    public init(errorCode: Int16, errorMessage: String?, resourceType: Int8, resourceName: String) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.resourceType = resourceType
        self.resourceName = resourceName
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&errorCode, "0+")
        try coder.field(&errorMessage, "0+")
        try coder.field(&resourceType, "0+")
        try coder.field(&resourceName, "0+")
    }
}

/// The changes AlterConfigs and IncrementalAlterConfigs ask for one resource (a topic or broker).
public struct ConfigChanges<Config: Equatable & WireStruct>: Equatable, WireStruct {
    public var resourceType: Int8 = 0
    public var resourceName: String = ""
    public var configs: [Config] = []

    public init() {}

    public init(resourceType: Int8, resourceName: String, configs: [Config]) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.configs = configs
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&resourceType, "0+")
        try coder.field(&resourceName, "0+")
        try coder.field(&configs, "0+")
    }
}

/// What AlterConfigs and IncrementalAlterConfigs answer: one result per resource.
public struct ConfigChangeResults: Equatable, WireStruct {
    public var throttleTimeMs: Int32 = 0
    public var responses: [AlterConfigsResourceResponse] = []

    public init() {}

    public init(responses: [AlterConfigsResourceResponse]) { self.responses = responses }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "0+")
        try coder.field(&responses, "0+")
    }
}

/// AlterConfigs: replaces every override of each resource with the configs given (v0–v1);
/// configs not named return to their defaults.
public struct AlterConfigsRequest: Equatable, KafkaRequest {
    public struct Config: Equatable, WireStruct {
        public var name: String = ""
        public var value: String?

        public init() {}

        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&value, "0+")
        }
    }

    public typealias Resource = ConfigChanges<Config>

    public typealias Response = AlterConfigsResponse
    public static var apiKey: ApiKey { .alterConfigs }

    public var resources: [Resource] = []
    /// Checks the changes and answers as if made, changing nothing.
    public var validateOnly = false

    public init() {}

    public init(resources: [Resource], validateOnly: Bool = false) {
        self.resources = resources
        self.validateOnly = validateOnly
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&resources, "0+")
        try coder.field(&validateOnly, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.alterConfigs(self))))
    }
}

/// The answer of AlterConfigs: one result per resource.
public typealias AlterConfigsResponse = ConfigChangeResults

/// IncrementalAlterConfigs: changes named configs of each resource, one operation each (v0–v1,
/// flexible from v1; KIP-339).
public struct IncrementalAlterConfigsRequest: Equatable, KafkaRequest {
    /// What an operation does to its config.
    public enum Operation: Int8, Sendable {
        case set = 0
        case delete = 1
        /// Adds values to a list config.
        case append = 2
        /// Removes values from a list config.
        case subtract = 3
    }

    public struct Config: Equatable, WireStruct {
        public var name: String = ""
        public var configOperation: Int8 = 0
        public var value: String?

        public init() {}

        public init(name: String, operation: Operation, value: String?) {
            self.name = name
            self.configOperation = operation.rawValue
            self.value = value
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&configOperation, "0+")
            try coder.field(&value, "0+")
        }
    }

    public typealias Resource = ConfigChanges<Config>

    public typealias Response = IncrementalAlterConfigsResponse
    public static var apiKey: ApiKey { .incrementalAlterConfigs }

    public var resources: [Resource] = []
    /// Checks the changes and answers as if made, changing nothing.
    public var validateOnly = false

    public init() {}

    public init(resources: [Resource], validateOnly: Bool = false) {
        self.resources = resources
        self.validateOnly = validateOnly
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&resources, "0+")
        try coder.field(&validateOnly, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.incrementalAlterConfigs(self))))
    }
}

/// The answer of IncrementalAlterConfigs, the same as AlterConfigs'.
public typealias IncrementalAlterConfigsResponse = ConfigChangeResults
