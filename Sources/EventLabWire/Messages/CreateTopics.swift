/// CreateTopics: new topics with a partition count (or replica assignments) and configs. From
/// v5 the answer also gives each created topic's partitions, replication factor and configs.
public struct CreateTopicsRequest: Equatable, KafkaRequest {
    /// A partition's replicas, by broker id.
    public struct Assignment: Equatable, WireStruct {
        public var partitionIndex: Int32 = 0
        public var brokerIds: [Int32] = []

        public init() {}

        public init(partitionIndex: Int32, brokerIds: [Int32]) {
            self.partitionIndex = partitionIndex
            self.brokerIds = brokerIds
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&partitionIndex, "0+")
            try coder.field(&brokerIds, "0+")
        }
    }

    public struct Config: Equatable, WireStruct {
        public var name = ""
        /// Null keeps the config's default.
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

    public struct Topic: Equatable, WireStruct {
        public var name = ""
        /// -1 asks for the broker's default, or for as many as `assignments` lists.
        public var numPartitions: Int32 = -1
        public var replicationFactor: Int16 = -1
        public var assignments: [Assignment] = []
        public var configs: [Config] = []

        public init() {}

        public init(name: String, numPartitions: Int32, replicationFactor: Int16, assignments: [Assignment] = [], configs: [Config] = []) {
            self.name = name
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.assignments = assignments
            self.configs = configs
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&numPartitions, "0+")
            try coder.field(&replicationFactor, "0+")
            try coder.field(&assignments, "0+")
            try coder.field(&configs, "0+")
        }
    }

    public typealias Response = CreateTopicsResponse
    public static var apiKey: ApiKey { .createTopics }

    public var topics: [Topic] = []
    public var timeoutMs: Int32 = 60000
    /// Checks everything, creates nothing (v1+).
    public var validateOnly = false

    public init() {}

    public init(topics: [Topic], timeoutMs: Int32 = 60000, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&topics, "0+")
        try coder.field(&timeoutMs, "0+")
        try coder.field(&validateOnly, "1+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.createTopics(self))))
    }
}

public struct CreateTopicsResponse: Equatable, WireStruct {
    /// One config of a created topic, as DescribeConfigs would report it.
    public struct Config: Equatable, WireStruct {
        public var name = ""
        public var value: String?
        public var readOnly = false
        /// DescribeConfigs' source code: 1 set on the topic, 5 Kafka's default.
        public var configSource: Int8 = -1
        public var isSensitive = false

        public init() {}

        public init(name: String, value: String?, configSource: Int8) {
            self.name = name
            self.value = value
            self.configSource = configSource
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "5+")
            try coder.field(&value, "5+")
            try coder.field(&readOnly, "5+")
            try coder.field(&configSource, "5+")
            try coder.field(&isSensitive, "5+")
        }
    }

    public struct Topic: Equatable, WireStruct {
        public var name = ""
        public var errorCode: Int16 = 0
        public var errorMessage: String?
        /// Why the configs could not be described (tagged, v5+); 0 when they were.
        public var topicConfigErrorCode: Int16 = 0
        public var numPartitions: Int32 = -1
        public var replicationFactor: Int16 = -1
        public var configs: [Config]? = []

        public init() {}

        public init(name: String, errorCode: Int16, errorMessage: String?) {
            self.name = name
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&errorCode, "0+")
            try coder.field(&errorMessage, "1+")
            try coder.field(&numPartitions, "5+")
            try coder.field(&replicationFactor, "5+")
            try coder.field(&configs, "5+")
        }

        public mutating func codeTagged<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.tagged(&topicConfigErrorCode, tag: 0, "5+", default: 0)
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(topics: [Topic]) { self.topics = topics }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "2+")
        try coder.field(&topics, "0+")
    }
}
