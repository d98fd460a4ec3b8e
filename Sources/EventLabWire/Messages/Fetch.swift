import EventLabCore

/// Fetch: record batches from offsets, with a long poll.
public struct FetchRequest: Equatable, KafkaRequest {
    public struct Partition: Equatable, WireStruct {
        public var index: Int32 = 0
        /// The leader epoch the consumer knows (v9+); this broker has one leader at epoch 0.
        public var currentLeaderEpoch: Int32 = -1
        public var fetchOffset: Int64 = 0
        /// The follower's log start offset (v5+): replicas only.
        public var logStartOffset: Int64 = -1
        /// The most bytes to answer for this partition.
        public var maxBytes: Int32 = 0

        public init() {}

        public init(index: Int32, fetchOffset: Int64, maxBytes: Int32) {
            self.index = index
            self.fetchOffset = fetchOffset
            self.maxBytes = maxBytes
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&index, "0+")
            try coder.field(&currentLeaderEpoch, "9+")
            try coder.field(&fetchOffset, "0+")
            try coder.field(&logStartOffset, "5+")
            try coder.field(&maxBytes, "0+")
        }
    }

    /// Partitions an incremental fetch session no longer wants (v7+).
    public struct ForgottenTopic: Equatable, WireStruct {
        public var name = ""
        public var partitions: [Int32] = []

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&partitions, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public typealias Response = FetchResponse
    public static var apiKey: ApiKey { .fetch }

    /// -1 for a consumer; a broker's id for a follower.
    public var replicaId: Int32 = -1
    public var maxWaitMs: Int32 = 0
    public var minBytes: Int32 = 0
    /// The most bytes to answer in all (v3+); before v3 there is no such limit.
    public var maxBytes: Int32 = .max
    /// 0 read uncommitted, 1 read committed (v4+); with no transactions both read the same.
    public var isolationLevel: Int8 = 0
    /// The incremental fetch session (v7+): this broker keeps none and always answers in full.
    public var sessionId: Int32 = 0
    public var sessionEpoch: Int32 = -1
    public var topics: [Topic] = []
    public var forgottenTopics: [ForgottenTopic] = []
    /// The consumer's rack (v11+), for a follower to read from; one broker, so unused.
    public var rackId = ""

    public init() {}

    public init(maxWaitMs: Int32, minBytes: Int32, maxBytes: Int32 = .max, topics: [Topic]) {
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.topics = topics
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&replicaId, "0+")
        try coder.field(&maxWaitMs, "0+")
        try coder.field(&minBytes, "0+")
        try coder.field(&maxBytes, "3+")
        try coder.field(&isolationLevel, "4+")
        try coder.field(&sessionId, "7+")
        try coder.field(&sessionEpoch, "7+")
        try coder.field(&topics, "0+")
        try coder.field(&forgottenTopics, "7+")
        try coder.field(&rackId, "11+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        api.fetch(self, version: context.version) { reply(.send(context.encoded($0))) }
    }
}

public struct FetchResponse: WireStruct {
    /// A transaction aborted within the records (v4+); this broker has no transactions.
    public struct AbortedTransaction: Equatable, WireStruct {
        public var producerId: Int64 = 0
        public var firstOffset: Int64 = 0

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&producerId, "4+")
            try coder.field(&firstOffset, "4+")
        }
    }

    public struct Partition: WireStruct {
        public var index: Int32 = 0
        public var errorCode: Int16 = 0
        public var highWatermark: Int64 = 0
        /// The last stable offset (v4+): with no transactions, the high watermark.
        public var lastStableOffset: Int64 = -1
        public var logStartOffset: Int64 = -1
        /// Null under read-uncommitted, as Kafka 2.5 answers; empty under read-committed.
        public var abortedTransactions: [AbortedTransaction]?
        /// The replica to read from instead (v11+): -1, this broker.
        public var preferredReadReplica: Int32 = -1
        /// The records: whole stored batches sent as they lie in the log, or, for a Fetch
        /// v0–v3, a message set converted down to magic 0 or 1 and held in memory. Nil is a null
        /// records field, which this broker never sends (Kafka sends empty records instead).
        public var records: [any StoredBytes]? = []

        /// The size of the records field.
        public var recordBytes: Int { records?.reduce(0) { $0 + $1.count } ?? 0 }

        public init() {}

        public init(index: Int32, errorCode: Int16, highWatermark: Int64, logStartOffset: Int64, records: [any StoredBytes]) {
            self.index = index
            self.errorCode = errorCode
            self.highWatermark = highWatermark
            self.lastStableOffset = highWatermark
            self.logStartOffset = logStartOffset
            self.records = records
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&index, "0+")
            try coder.field(&errorCode, "0+")
            try coder.field(&highWatermark, "0+")
            try coder.field(&lastStableOffset, "4+")
            try coder.field(&logStartOffset, "5+")
            try coder.field(&abortedTransactions, "4+")
            try coder.field(&preferredReadReplica, "11+")
            try coder.records(&records, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    /// The fetch session (v7+): 0, none, so every answer is in full.
    public var sessionId: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(topics: [Topic]) { self.topics = topics }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&errorCode, "7+")
        try coder.field(&sessionId, "7+")
        try coder.field(&topics, "0+")
    }
}
