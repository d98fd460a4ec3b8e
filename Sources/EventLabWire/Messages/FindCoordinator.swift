/// FindCoordinator: this single broker coordinates every group.
public struct FindCoordinatorRequest: Equatable, KafkaRequest {
    public typealias Response = FindCoordinatorResponse
    public static var apiKey: ApiKey { .findCoordinator }

    /// The group id (key type 0) or transactional id (1).
    public var key = ""
    public var keyType: Int8 = 0

    public init() {}

    public init(key: String, keyType: Int8 = 0) {
        self.key = key
        self.keyType = keyType
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&key, "0-3")
        try coder.field(&keyType, "1+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.findCoordinator(self))))
    }
}

public struct FindCoordinatorResponse: Equatable, WireStruct {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    /// Kafka 2.5 names the error here, even NONE.
    public var errorMessage: String?
    public var nodeId: Int32 = 0
    public var host = ""
    public var port: Int32 = 0

    public init() {}

    public init(errorCode: Int16, errorMessage: String?, nodeId: Int32, host: String, port: Int32) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.nodeId = nodeId
        self.host = host
        self.port = port
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&errorCode, "0-3")
        try coder.field(&errorMessage, "1-3")
        try coder.field(&nodeId, "0-3")
        try coder.field(&host, "0-3")
        try coder.field(&port, "0-3")
    }
}
