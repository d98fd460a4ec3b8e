/// ListOffsets: the earliest (-2), latest (-1) or first-at-a-time offset of partitions. v0 answers
/// an array of offsets (at most `maxNumOffsets`), v1 on one offset with its timestamp.
public struct ListOffsetsRequest: Equatable, KafkaRequest {
    public struct Partition: Equatable, WireStruct {
        public var partitionIndex: Int32 = 0
        /// The leader epoch the client knows (v4+), or -1 for no check.
        public var currentLeaderEpoch: Int32 = -1
        public var timestamp: Int64 = 0
        public var maxNumOffsets: Int32 = 1

        public init() {}

        public init(index: Int32, timestamp: Int64, currentLeaderEpoch: Int32 = -1, maxNumOffsets: Int32 = 1) {
            partitionIndex = index
            self.timestamp = timestamp
            self.currentLeaderEpoch = currentLeaderEpoch
            self.maxNumOffsets = maxNumOffsets
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&partitionIndex, "0+")
            try coder.field(&currentLeaderEpoch, "4+")
            try coder.field(&timestamp, "0+")
            try coder.field(&maxNumOffsets, "0")
        }
    }

    public typealias Topic = TopicData<Partition>
    public typealias Response = ListOffsetsResponse
    public static var apiKey: ApiKey { .listOffsets }

    public var replicaId: Int32 = -1
    /// 0 reads uncommitted, 1 committed; the same here, with no transactions.
    public var isolationLevel: Int8 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(isolationLevel: Int8 = 0, topics: [Topic]) {
        self.isolationLevel = isolationLevel
        self.topics = topics
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&replicaId, "0+")
        try coder.field(&isolationLevel, "2+")
        try coder.field(&topics, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.listOffsets(self, version: context.version))))
    }
}

public struct ListOffsetsResponse: Equatable, WireStruct {
    public struct Partition: Equatable, WireStruct {
        public var partitionIndex: Int32 = 0
        public var errorCode: Int16 = 0
        /// v0's answer: offsets, newest first.
        public var oldStyleOffsets: [Int64] = []
        /// The found record's own timestamp, or -1 for the earliest or latest offset.
        public var timestamp: Int64 = -1
        public var offset: Int64 = -1
        public var leaderEpoch: Int32 = -1

        public init() {}

        public init(index: Int32, errorCode: Int16 = 0) {
            partitionIndex = index
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&partitionIndex, "0+")
            try coder.field(&errorCode, "0+")
            try coder.field(&oldStyleOffsets, "0")
            try coder.field(&timestamp, "1+")
            try coder.field(&offset, "1+")
            try coder.field(&leaderEpoch, "4+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(topics: [Topic]) { self.topics = topics }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "2+")
        try coder.field(&topics, "0+")
    }
}
