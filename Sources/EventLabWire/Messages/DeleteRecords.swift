/// DeleteRecords: moves partitions' log start offsets up, so the records before them are gone (v0–v1).
public struct DeleteRecordsRequest: Equatable, KafkaRequest {
    public struct Partition: Equatable, WireStruct {
        public var partitionIndex: Int32 = 0
        /// Records before this offset are deleted; -1 means the high watermark.
        public var offset: Int64 = 0

        public init() {}

        public init(partitionIndex: Int32, offset: Int64) {
            self.partitionIndex = partitionIndex
            self.offset = offset
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&partitionIndex, "0+")
            try coder.field(&offset, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>
    public typealias Response = DeleteRecordsResponse
    public static var apiKey: ApiKey { .deleteRecords }

    public var topics: [Topic] = []
    public var timeoutMs: Int32 = 0

    public init() {}

    public init(topics: [Topic], timeoutMs: Int32 = 30_000) {
        self.topics = topics
        self.timeoutMs = timeoutMs
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&topics, "0+")
        try coder.field(&timeoutMs, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.deleteRecords(self))))
    }
}

public struct DeleteRecordsResponse: Equatable, WireStruct {
    public struct Partition: Equatable, WireStruct {
        public var partitionIndex: Int32 = 0
        /// The partition's log start offset afterwards, or -1 with an error.
        public var lowWatermark: Int64 = -1
        public var errorCode: Int16 = 0

        public init() {}

        public init(partitionIndex: Int32, lowWatermark: Int64, errorCode: Int16) {
            self.partitionIndex = partitionIndex
            self.lowWatermark = lowWatermark
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&partitionIndex, "0+")
            try coder.field(&lowWatermark, "0+")
            try coder.field(&errorCode, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(topics: [Topic]) { self.topics = topics }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "0+")
        try coder.field(&topics, "0+")
    }
}
