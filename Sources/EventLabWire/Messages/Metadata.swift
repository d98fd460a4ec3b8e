/// Metadata: the brokers, the controller, and topics with their partitions. v0 asks for every
/// topic with an empty list; v1 on with a null one (empty asks for none).
public struct MetadataRequest: Equatable, KafkaRequest {
    public struct Topic: Equatable, WireStruct {
        public var name = ""

        public init() {}

        public init(name: String) { self.name = name }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
        }
    }

    public typealias Response = MetadataResponse
    public static var apiKey: ApiKey { .metadata }

    public var topics: [Topic]? = []
    /// Whether asking for a topic that does not exist creates it (before v4: always).
    public var allowAutoTopicCreation = true
    public var includeClusterAuthorizedOperations = false
    public var includeTopicAuthorizedOperations = false

    public init() {}

    public init(topics: [String]?, allowAutoTopicCreation: Bool = true) {
        self.topics = topics?.map(Topic.init(name:))
        self.allowAutoTopicCreation = allowAutoTopicCreation
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&topics, "0+")
        try coder.field(&allowAutoTopicCreation, "4+")
        try coder.field(&includeClusterAuthorizedOperations, "8-10")
        try coder.field(&includeTopicAuthorizedOperations, "8+")
    }

    /// The topics asked for, or nil for every topic.
    func wantedTopics(version: Int16) -> [String]? {
        guard let topics, !(version == 0 && topics.isEmpty) else { return nil }
        return topics.map(\.name)
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.metadata(self, version: context.version))))
    }
}

public struct MetadataResponse: Equatable, WireStruct {
    public struct Broker: Equatable, WireStruct {
        public var nodeId: Int32 = 0
        public var host = ""
        public var port: Int32 = 0
        public var rack: String?

        public init() {}

        public init(nodeId: Int32, host: String, port: Int32) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&nodeId, "0+")
            try coder.field(&host, "0+")
            try coder.field(&port, "0+")
            try coder.field(&rack, "1+")
        }
    }

    public struct Partition: Equatable, WireStruct {
        public var errorCode: Int16 = 0
        public var partitionIndex: Int32 = 0
        public var leaderId: Int32 = 0
        public var leaderEpoch: Int32 = -1
        public var replicaNodes: [Int32] = []
        public var isrNodes: [Int32] = []
        public var offlineReplicas: [Int32] = []

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&errorCode, "0+")
            try coder.field(&partitionIndex, "0+")
            try coder.field(&leaderId, "0+")
            try coder.field(&leaderEpoch, "7+")
            try coder.field(&replicaNodes, "0+")
            try coder.field(&isrNodes, "0+")
            try coder.field(&offlineReplicas, "5+")
        }
    }

    public struct Topic: Equatable, WireStruct {
        public var errorCode: Int16 = 0
        public var name = ""
        public var isInternal = false
        public var partitions: [Partition] = []
        /// A bit per ACL operation allowed on the topic; Int32.min when not asked for.
        public var topicAuthorizedOperations = Int32.min

        public init() {}

        public init(errorCode: Int16, name: String, partitions: [Partition]) {
            self.errorCode = errorCode
            self.name = name
            self.partitions = partitions
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&errorCode, "0+")
            try coder.field(&name, "0+")
            try coder.field(&isInternal, "1+")
            try coder.field(&partitions, "0+")
            try coder.field(&topicAuthorizedOperations, "8+")
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var brokers: [Broker] = []
    public var clusterId: String?
    public var controllerId: Int32 = -1
    public var topics: [Topic] = []
    /// A bit per ACL operation allowed on the cluster; Int32.min when not asked for.
    public var clusterAuthorizedOperations = Int32.min

    public init() {}

    public init(brokers: [Broker], clusterId: String?, controllerId: Int32, topics: [Topic]) {
        self.brokers = brokers
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.topics = topics
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "3+")
        try coder.field(&brokers, "0+")
        try coder.field(&clusterId, "2+")
        try coder.field(&controllerId, "1+")
        try coder.field(&topics, "0+")
        try coder.field(&clusterAuthorizedOperations, "8-10")
    }
}
