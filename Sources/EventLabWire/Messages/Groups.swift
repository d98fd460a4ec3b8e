/// JoinGroup: a member joins a group, or rejoins it for a rebalance.
public struct JoinGroupWireRequest: Equatable, KafkaRequest {
    /// One assignor the member speaks, with its subscription bytes.
    public struct JoinProtocol: Equatable, WireStruct {
        public var name = ""
        public var metadata: [UInt8] = []

        public init() {}

        public init(name: String, metadata: [UInt8]) {
            self.name = name
            self.metadata = metadata
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&name, "0+")
            try coder.field(&metadata, "0+")
        }
    }

    public typealias Response = JoinGroupWireResponse
    public static var apiKey: ApiKey { .joinGroup }

    public var groupId = ""
    public var sessionTimeoutMs: Int32 = 0
    /// Absent in v0, where Kafka takes the session timeout for it.
    public var rebalanceTimeoutMs: Int32 = -1
    public var memberId = ""
    /// `group.instance.id` (v5+), set for a static member.
    public var groupInstanceId: String?
    public var protocolType = ""
    public var protocols: [JoinProtocol] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupId, "0+")
        try coder.field(&sessionTimeoutMs, "0+")
        try coder.field(&rebalanceTimeoutMs, "1+")
        try coder.field(&memberId, "0+")
        try coder.field(&groupInstanceId, "5+")
        try coder.field(&protocolType, "0+")
        try coder.field(&protocols, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        api.joinGroup(self, context, reply: reply)
    }
}

public struct JoinGroupWireResponse: Equatable, WireStruct {
    /// One member as the leader sees it, with its subscription for the chosen protocol.
    public struct Member: Equatable, WireStruct {
        public var memberId = ""
        public var groupInstanceId: String?
        /// Shared with the group, not copied, when large.
        public var metadata: [UInt8] = []

        public init() {}

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&memberId, "0+")
            try coder.field(&groupInstanceId, "5+")
            try coder.field(&metadata, "0+")
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var generationId: Int32 = -1
    /// The group's protocol type (v7+, KIP-559), null on an error.
    public var protocolType: String?
    /// The chosen assignor: null on an error from v7, empty before.
    public var protocolName: String? = ""
    public var leader = ""
    public var memberId = ""
    public var members: [Member] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "2+")
        try coder.field(&errorCode, "0+")
        try coder.field(&generationId, "0+")
        try coder.field(&protocolType, "7+")
        try coder.field(&protocolName, "0+")
        try coder.field(&leader, "0+")
        try coder.field(&memberId, "0+")
        try coder.field(&members, "0+")
    }
}

/// SyncGroup: the leader hands out the assignment; every member receives its own.
public struct SyncGroupWireRequest: Equatable, KafkaRequest {
    /// The leader's assignment for one member.
    public struct Assignment: Equatable, WireStruct {
        public var memberId = ""
        public var assignment: [UInt8] = []

        public init() {}

        public init(memberId: String, assignment: [UInt8]) {
            self.memberId = memberId
            self.assignment = assignment
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&memberId, "0+")
            try coder.field(&assignment, "0+")
        }
    }

    public typealias Response = SyncGroupWireResponse
    public static var apiKey: ApiKey { .syncGroup }

    public var groupId = ""
    public var generationId: Int32 = 0
    public var memberId = ""
    /// `group.instance.id` (v3+), set for a static member.
    public var groupInstanceId: String?
    /// The protocol type the member joined with (v5+; Kafka requires it there).
    public var protocolType: String?
    /// The assignor the member was told (v5+; Kafka requires it there).
    public var protocolName: String?
    public var assignments: [Assignment] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupId, "0+")
        try coder.field(&generationId, "0+")
        try coder.field(&memberId, "0+")
        try coder.field(&groupInstanceId, "3+")
        try coder.field(&protocolType, "5+")
        try coder.field(&protocolName, "5+")
        try coder.field(&assignments, "0+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        api.syncGroup(self, context, reply: reply)
    }
}

public struct SyncGroupWireResponse: Equatable, WireStruct {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    /// The group's protocol type (v5+), null on an error.
    public var protocolType: String?
    /// The group's assignor (v5+), null on an error.
    public var protocolName: String?
    /// The member's assignment: shared with the group, not copied, when large.
    public var assignment: [UInt8] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&errorCode, "0+")
        try coder.field(&protocolType, "5+")
        try coder.field(&protocolName, "5+")
        try coder.field(&assignment, "0+")
    }
}

/// Heartbeat: a member says it is alive; the answer says whether to rejoin.
public struct HeartbeatRequest: Equatable, KafkaRequest {
    public typealias Response = HeartbeatResponse
    public static var apiKey: ApiKey { .heartbeat }

    public var groupId = ""
    public var generationId: Int32 = 0
    public var memberId = ""
    /// `group.instance.id` (v3+), set for a static member.
    public var groupInstanceId: String?

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupId, "0+")
        try coder.field(&generationId, "0+")
        try coder.field(&memberId, "0+")
        try coder.field(&groupInstanceId, "3+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.heartbeat(self))))
    }
}

public struct HeartbeatResponse: Equatable, WireStruct {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&errorCode, "0+")
    }
}

/// LeaveGroup: one member leaves (v0–2), or a batch of members, each by id or instance id (v3+).
public struct LeaveGroupRequest: Equatable, KafkaRequest {
    /// A member to remove (v3+): by member id, or by `group.instance.id` with an empty member id.
    public struct Member: Equatable, WireStruct {
        public var memberId = ""
        public var groupInstanceId: String?

        public init() {}

        public init(memberId: String, groupInstanceId: String? = nil) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&memberId, "3+")
            try coder.field(&groupInstanceId, "3+")
        }
    }

    public typealias Response = LeaveGroupResponse
    public static var apiKey: ApiKey { .leaveGroup }

    public var groupId = ""
    /// The one leaving member (v0–2).
    public var memberId = ""
    /// The leaving members (v3+).
    public var members: [Member] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&groupId, "0+")
        try coder.field(&memberId, "0-2")
        try coder.field(&members, "3+")
    }

    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        reply(.send(context.encoded(api.leaveGroup(self, version: context.version))))
    }
}

public struct LeaveGroupResponse: Equatable, WireStruct {
    /// What became of one member asked to leave (v3+).
    public struct Member: Equatable, WireStruct {
        public var memberId = ""
        public var groupInstanceId: String?
        public var errorCode: Int16 = 0

        public init() {}

        public init(memberId: String, groupInstanceId: String?, errorCode: Int16) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.errorCode = errorCode
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&memberId, "3+")
            try coder.field(&groupInstanceId, "3+")
            try coder.field(&errorCode, "3+")
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: Int16 = 0
    public var members: [Member] = []

    public init() {}

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&throttleTimeMs, "1+")
        try coder.field(&errorCode, "0+")
        try coder.field(&members, "3+")
    }
}
