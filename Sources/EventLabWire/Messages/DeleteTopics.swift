/// DeleteTopics: topics removed by name.
public struct DeleteTopicsRequest: Equatable, KafkaRequest {
    public typealias Response = DeleteTopicsResponse
    public static var apiKey: ApiKey { .deleteTopics }

    public var topicNames: [String] = []
    public var timeoutMs: Int32 = 0

    public init() {}

    public init(topicNames: [String], timeoutMs: Int32 = 30000) {
        self.topicNames = topicNames
        self.timeoutMs = timeoutMs
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&topicNames, "0+")
        try coder.field(&timeoutMs, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.deleteTopics(self))))
    }
}

public struct DeleteTopicsResponse: Equatable, WireStruct {
    public struct Result: Equatable, WireStruct {
        public var name = ""
        public var errorCode: Int16 = 0

        public init() {}

        public init(name: String, errorCode: Int16) {
            self.name = name
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&errorCode, "0+")
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var responses: [Result] = []

    public init() {}

    public init(responses: [Result]) { self.responses = responses }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&responses, "0+")
    }
}
