/// OffsetCommit: a group's consumers record how far they have read.
public struct OffsetCommitRequest: Equatable, KafkaRequest {
    public struct Partition: Equatable, WireStruct {
        public var index: Int32 = 0
        public var offset: Int64 = 0
        /// The leader epoch of the last record read (v6+), -1 for none.
        public var leaderEpoch: Int32 = -1
        /// When the commit was made (v1 only); -1 means when the broker receives it.
        public var commitTimestamp: Int64 = -1
        public var metadata: String?

        public init() {}

        public init(index: Int32, offset: Int64, metadata: String? = nil) {
            self.index = index
            self.offset = offset
            self.metadata = metadata
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&index, "0+")
            try coder.field(&offset, "0+")
            try coder.field(&leaderEpoch, "6+")
            try coder.field(&commitTimestamp, "1")
            try coder.field(&metadata, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>
    public typealias Response = OffsetCommitResponse
    public static var apiKey: ApiKey { .offsetCommit }

    public var groupId = ""
    /// The committing member's generation (v1+); -1 commits outside any generation.
    public var generationId: Int32 = -1
    /// The committing member (v1+); empty commits outside any generation.
    public var memberId = ""
    /// `group.instance.id` (v7+), set for a static member.
    public var groupInstanceId: String?
    /// How long to keep the offsets (v2–4); -1 for the broker's retention.
    public var retentionTimeMs: Int64 = -1
    public var topics: [Topic] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupId, "0+")
        try coder.field(&generationId, "1+")
        try coder.field(&memberId, "1+")
        try coder.field(&groupInstanceId, "7+")
        try coder.field(&retentionTimeMs, "2-4")
        try coder.field(&topics, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.offsetCommit(self, version: context.version))))
    }
}

public struct OffsetCommitResponse: Equatable, WireStruct {
    public struct Partition: Equatable, WireStruct {
        public var index: Int32 = 0
        public var errorCode: Int16 = 0

        public init() {}

        public init(index: Int32, errorCode: Int16) {
            self.index = index
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&index, "0+")
            try coder.field(&errorCode, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(topics: [Topic]) { self.topics = topics }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "3+")
        try coder.field(&topics, "0+")
    }
}

/// OffsetFetch: a group's committed offsets.
public struct OffsetFetchRequest: Equatable, KafkaRequest {
    public struct Topic: Equatable, WireStruct {
        public var name = ""
        public var partitions: [Int32] = []

        public init() {}

        public init(name: String, partitions: [Int32]) {
            self.name = name
            self.partitions = partitions
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&partitions, "0+")
        }
    }

    public typealias Response = OffsetFetchResponse
    public static var apiKey: ApiKey { .offsetFetch }

    public var groupId = ""
    /// Nil (v2+) asks for every partition the group committed on.
    public var topics: [Topic]? = []
    /// Whether to refuse offsets a transaction has yet to commit (v7+); with no transactions here,
    /// every offset is stable.
    public var requireStable = false

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupId, "0+")
        try coder.field(&topics, "0+")
        if topics == nil && !coder.has("2+") {
            throw WireError("OffsetFetch v\(coder.version) names its topics; asking for all of them (null) needs v2+")
        }
        try coder.field(&requireStable, "7+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.offsetFetch(self, version: context.version))))
    }
}

public struct OffsetFetchResponse: Equatable, WireStruct {
    public struct Partition: Equatable, WireStruct {
        public var index: Int32 = 0
        /// -1 when the group has no offset here.
        public var offset: Int64 = -1
        /// The leader epoch committed with the offset (v5+), -1 for none.
        public var leaderEpoch: Int32 = -1
        public var metadata: String? = ""
        public var errorCode: Int16 = 0

        public init() {}

        public init(index: Int32, offset: Int64, metadata: String?, errorCode: Int16) {
            self.index = index
            self.offset = offset
            self.metadata = metadata
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&index, "0+")
            try coder.field(&offset, "0+")
            try coder.field(&leaderEpoch, "5+")
            try coder.field(&metadata, "0+")
            try coder.field(&errorCode, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic] = []
    /// The request's own error (v2+); before v2 each partition carries it.
    public var errorCode: Int16 = 0

    public init() {}

    public init(topics: [Topic]) { self.topics = topics }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "3+")
        try coder.field(&topics, "0+")
        try coder.field(&errorCode, "2+")
    }
}
