/// InitProducerId: a producer id and epoch for an idempotent producer (Java clients ask for one
/// by default). Transactions are not offered.
public struct InitProducerIdRequest: Equatable, KafkaRequest {
    public typealias Response = InitProducerIdResponse
    public static var apiKey: ApiKey { .initProducerId }

    /// Set only by transactional producers.
    public var transactionalId: String?
    public var transactionTimeoutMs: Int32 = 0
    /// The id a producer already has (v3+, KIP-360), or -1.
    public var producerId: Int64 = -1
    /// The epoch a producer already has (v3+), or -1.
    public var producerEpoch: Int16 = -1

    public init() {}

    public init(transactionalId: String?, transactionTimeoutMs: Int32, producerId: Int64 = -1, producerEpoch: Int16 = -1) {
        self.transactionalId = transactionalId
        self.transactionTimeoutMs = transactionTimeoutMs
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&transactionalId, "0+")
        try coder.field(&transactionTimeoutMs, "0+")
        try coder.field(&producerId, "3+")
        try coder.field(&producerEpoch, "3+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.initProducerId(self))))
    }
}

public struct InitProducerIdResponse: Equatable, WireStruct {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var producerId: Int64 = -1
    public var producerEpoch: Int16 = -1

    public init() {}

    public init(errorCode: Int16, producerId: Int64, producerEpoch: Int16) {
        self.errorCode = errorCode
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "0+")
        try coder.field(&errorCode, "0+")
        try coder.field(&producerId, "0+")
        try coder.field(&producerEpoch, "0+")
    }
}
