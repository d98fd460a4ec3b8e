/// CreatePartitions: grows topics to a new partition count (v0–v2, flexible from v2).
public struct CreatePartitionsRequest: Equatable, KafkaRequest {
    /// The brokers that hold one new partition's replicas.
    public struct Assignment: Equatable, WireStruct {
        public var brokerIds: [Int32] = []

        public init() {}

        public init(brokerIds: [Int32]) { self.brokerIds = brokerIds }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&brokerIds, "0+")
        }
    }

    public struct Topic: Equatable, WireStruct {
        public var name: String = ""
        /// The partition count the topic should have.
        public var count: Int32 = 0
        /// One per new partition, or null to let the broker place them.
        public var assignments: [Assignment]?

        public init() {}

        public init(name: String, count: Int32, assignments: [Assignment]? = nil) {
            self.name = name
            self.count = count
            self.assignments = assignments
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&count, "0+")
            try coder.field(&assignments, "0+")
        }
    }

    public typealias Response = CreatePartitionsResponse
    public static var apiKey: ApiKey { .createPartitions }

    public var topics: [Topic] = []
    public var timeoutMs: Int32 = 0
    /// Checks the request and answers as if the partitions were added, adding none.
    public var validateOnly = false

    public init() {}

    public init(topics: [Topic], timeoutMs: Int32 = 30_000, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&topics, "0+")
        try coder.field(&timeoutMs, "0+")
        try coder.field(&validateOnly, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.createPartitions(self))))
    }
}

public struct CreatePartitionsResponse: Equatable, WireStruct {
    public struct Result: Equatable, WireStruct {
        public var name: String = ""
        public var errorCode: Int16 = 0
        public var errorMessage: String?

        public init() {}

        public init(name: String, errorCode: Int16, errorMessage: String?) {
            self.name = name
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&errorCode, "0+")
            try coder.field(&errorMessage, "0+")
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
