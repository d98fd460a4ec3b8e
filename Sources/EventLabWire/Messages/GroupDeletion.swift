/// DeleteGroups: deletes empty groups with their committed offsets (v0–v2, flexible from v2).
public struct DeleteGroupsRequest: Equatable, KafkaRequest {
    public typealias Response = DeleteGroupsResponse
    public static var apiKey: ApiKey { .deleteGroups }


    public var groupsNames: [String] = []

    public init() {}

    public init(groupsNames: [String]) { self.groupsNames = groupsNames }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupsNames, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.deleteGroups(self))))
    }
}

public struct DeleteGroupsResponse: Equatable, WireStruct {
    public struct Result: Equatable, WireStruct {
        public var groupId: String = ""
        public var errorCode: Int16 = 0

        public init() {}

        public init(groupId: String, errorCode: Int16) {
            self.groupId = groupId
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&groupId, "0+")
            try coder.field(&errorCode, "0+")
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

/// OffsetDelete: deletes a group's committed offsets on partitions (v0; KIP-496).
public struct OffsetDeleteRequest: Equatable, KafkaRequest {
    public struct Partition: Equatable, WireStruct {
        public var partitionIndex: Int32 = 0

        public init() {}

        public init(partitionIndex: Int32) { self.partitionIndex = partitionIndex }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&partitionIndex, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>
    public typealias Response = OffsetDeleteResponse
    public static var apiKey: ApiKey { .offsetDelete }

    public var groupId: String = ""
    public var topics: [Topic] = []

    public init() {}

    public init(groupId: String, topics: [Topic]) {
        self.groupId = groupId
        self.topics = topics
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupId, "0+")
        try coder.field(&topics, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.offsetDelete(self))))
    }
}

public struct OffsetDeleteResponse: Equatable, WireStruct {
    public struct Partition: Equatable, WireStruct {
        public var partitionIndex: Int32 = 0
        public var errorCode: Int16 = 0

        public init() {}

        public init(partitionIndex: Int32, errorCode: Int16) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&partitionIndex, "0+")
            try coder.field(&errorCode, "0+")
        }
    }

    public typealias Topic = TopicData<Partition>

    /// An error for the whole group; the topics are empty then.
    public var errorCode: Int16 = 0
    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic] = []

    public init() {}

    public init(errorCode: Int16 = 0, topics: [Topic]) {
        self.errorCode = errorCode
        self.topics = topics
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&errorCode, "0+")
        try coder.field(&throttleTimeMs, "0+")
        try coder.field(&topics, "0+")
    }
}
