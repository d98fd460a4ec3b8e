/// ListGroups: every group the coordinator knows.
public struct ListGroupsRequest: Equatable, KafkaRequest {
    public typealias Response = ListGroupsResponse
    public static var apiKey: ApiKey { .listGroups }

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {}

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.listGroups())))
    }
}

public struct ListGroupsResponse: Equatable, WireStruct {
    public struct Group: Equatable, WireStruct {
        public var groupId = ""
        public var protocolType = ""

        public init() {}

        public init(groupId: String, protocolType: String) {
            self.groupId = groupId
            self.protocolType = protocolType
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&groupId, "0+")
            try coder.field(&protocolType, "0+")
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var groups: [Group] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&errorCode, "0+")
        try coder.field(&groups, "0+")
    }
}

/// DescribeGroups: each group's state, protocol and members with their metadata and assignment.
public struct DescribeGroupsRequest: Equatable, KafkaRequest {
    public typealias Response = DescribeGroupsResponse
    public static var apiKey: ApiKey { .describeGroups }

    public var groups: [String] = []
    /// Whether to say which operations the client may perform on each group (v3+).
    public var includeAuthorizedOperations = false

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groups, "0+")
        try coder.field(&includeAuthorizedOperations, "3+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.describeGroups(self))))
    }
}

public struct DescribeGroupsResponse: Equatable, WireStruct {
    public struct Member: Equatable, WireStruct {
        public var memberId = ""
        /// `group.instance.id` (v4+), null for a dynamic member.
        public var groupInstanceId: String?
        public var clientId = ""
        public var clientHost = ""
        /// Shared with the group, not copied, when large.
        public var metadata: [UInt8] = []
        /// Shared with the group, not copied, when large.
        public var assignment: [UInt8] = []

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&memberId, "0+")
            try coder.field(&groupInstanceId, "4+")
            try coder.field(&clientId, "0+")
            try coder.field(&clientHost, "0+")
            try coder.field(&metadata, "0+")
            try coder.field(&assignment, "0+")
        }
    }

    public struct Group: Equatable, WireStruct {
        public var errorCode: Int16 = 0
        public var groupId = ""
        public var state = ""
        public var protocolType = ""
        /// The chosen assignor.
        public var protocolName = ""
        public var members: [Member] = []
        /// A bit per operation the client may perform (v3+), `Int32.min` when not asked for.
        public var authorizedOperations = Int32.min

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&errorCode, "0+")
            try coder.field(&groupId, "0+")
            try coder.field(&state, "0+")
            try coder.field(&protocolType, "0+")
            try coder.field(&protocolName, "0+")
            try coder.field(&members, "0+")
            try coder.field(&authorizedOperations, "3+")
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var groups: [Group] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&groups, "0+")
    }
}
