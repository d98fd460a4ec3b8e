/// Produce: record batches for partitions.
public struct ProduceRequest: Equatable, KafkaRequest {
    public struct Partition: Equatable, WireStruct {
        public var index: Int32 = 0
        /// The record batch bytes: a view into the request's frame.
        public var records: ArraySlice<UInt8>?

        public init() {}

        public init(index: Int32, records: ArraySlice<UInt8>?) {
            self.index = index
            self.records = records
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&index, "0+")
            try coder.records(&records, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public typealias Response = ProduceResponse
    public static var apiKey: ApiKey { .produce }

    public var transactionalId: String?
    public var acks: Int16 = 0
    public var timeoutMs: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(transactionalId: String? = nil, acks: Int16, timeoutMs: Int32, topics: [Topic]) {
        self.transactionalId = transactionalId
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.topics = topics
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&transactionalId, "3+")
        try coder.field(&acks, "0+")
        try coder.field(&timeoutMs, "0+")
        try coder.field(&topics, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        api.produce(self, version: context.version) { [acks] response in
            guard acks == 0 else { return reply(.send(context.encoded(response))) }
            // Kafka's KafkaApis.handleProduceRequest: an acks=0 client reads no answer, so an
            // error is told by closing the connection, after which it refreshes its metadata.
            let failed = response.topics.contains { $0.partitions.contains { $0.errorCode != 0 } }
            reply(failed ? .closeConnection : .nothing)
        }
    }
}

public struct ProduceResponse: Equatable, WireStruct {
    /// Why one batch of a partition's records was refused (v8+).
    public struct RecordError: Equatable, WireStruct {
        public var batchIndex: Int32 = 0
        public var message: String?

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&batchIndex, "8+")
            try coder.field(&message, "8+")
        }
    }

    public struct Partition: Equatable, WireStruct {
        public var index: Int32 = 0
        public var errorCode: Int16 = 0
        public var baseOffset: Int64 = -1
        /// The time the broker stamped on the batch under LogAppendTime, else -1.
        public var logAppendTime: Int64 = -1
        public var logStartOffset: Int64 = -1
        public var recordErrors: [RecordError] = []
        public var errorMessage: String?

        public init() {}

        public init(index: Int32, errorCode: Int16, baseOffset: Int64, logAppendTime: Int64 = -1, logStartOffset: Int64) {
            self.index = index
            self.errorCode = errorCode
            self.baseOffset = baseOffset
            self.logAppendTime = logAppendTime
            self.logStartOffset = logStartOffset
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&index, "0+")
            try coder.field(&errorCode, "0+")
            try coder.field(&baseOffset, "0+")
            try coder.field(&logAppendTime, "2+")
            try coder.field(&logStartOffset, "5+")
            try coder.field(&recordErrors, "8+")
            try coder.field(&errorMessage, "8+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public var topics: [Topic] = []
    public var throttleTimeMs: Int32 = 0

    public init() {}

    public init(topics: [Topic]) { self.topics = topics }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&topics, "0+")
        try coder.field(&throttleTimeMs, "1+")
    }
}
