/// JoinGroup, SyncGroup, Heartbeat and LeaveGroup: the classic consumer-group protocol.
public struct JoinGroupWireRequest: Equatable, Sendable {
    public var groupId: String
    public var sessionTimeoutMs: Int32
    public var rebalanceTimeoutMs: Int32
    public var memberId: String
    /// `group.instance.id` (v5+), set for a static member.
    public var groupInstanceId: String?
    public var protocolType: String
    public var protocols: [(name: String, metadata: [UInt8])]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.groupId == rhs.groupId && lhs.memberId == rhs.memberId && lhs.groupInstanceId == rhs.groupInstanceId && lhs.protocols.elementsEqual(rhs.protocols) { $0 == $1 }
    }

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> JoinGroupWireRequest {
        let group = try reader.string()
        let session = try reader.integer(Int32.self)
        let rebalance = version >= 1 ? try reader.integer(Int32.self) : session
        let member = try reader.string()
        let instance = version >= 5 ? try reader.nullableString() : nil
        let type = try reader.string()
        let protocols = try reader.array(minimumSize: 6) { reader throws(WireError) in (try reader.string(), try reader.bytes()) } ?? []
        return JoinGroupWireRequest(groupId: group, sessionTimeoutMs: session, rebalanceTimeoutMs: rebalance, memberId: member,
                                    groupInstanceId: instance, protocolType: type, protocols: protocols.map { (name: $0.0, metadata: $0.1) })
    }
}

public struct JoinGroupWireResponse: Equatable, Sendable {
    public var errorCode: Int16
    public var generationId: Int32
    public var protocolName: String
    public var leader: String
    public var memberId: String
    public var members: [(memberId: String, groupInstanceId: String?, metadata: [UInt8])]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.errorCode == rhs.errorCode && lhs.memberId == rhs.memberId && lhs.members.elementsEqual(rhs.members) { $0 == $1 }
    }

    /// The body, with member metadata shared with the group rather than copied.
    public func encode(version: Int16) -> ResponseBody {
        var body = ResponseBody()
        var writer = WireWriter()
        if version >= 2 { writer.integer(Int32(0)) }
        writer.integer(errorCode)
        writer.integer(generationId)
        writer.string(protocolName)
        writer.string(leader)
        writer.string(memberId)
        writer.array(members) { writer, member in
            writer.string(member.memberId)
            if version >= 5 { writer.string(member.groupInstanceId) }
            body.append(&writer, sharing: member.metadata)
        }
        body.append(.bytes(writer.take()))
        return body
    }
}

public struct SyncGroupWireRequest: Equatable, Sendable {
    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// `group.instance.id` (v3+), set for a static member.
    public var groupInstanceId: String?
    public var assignments: [String: [UInt8]]

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> SyncGroupWireRequest {
        let group = try reader.string()
        let generation = try reader.integer(Int32.self)
        let member = try reader.string()
        let instance = version >= 3 ? try reader.nullableString() : nil
        var assignments: [String: [UInt8]] = [:]
        for (id, bytes) in try reader.array(minimumSize: 6, { reader throws(WireError) in (try reader.string(), try reader.bytes()) }) ?? [] {
            assignments[id] = bytes
        }
        return SyncGroupWireRequest(groupId: group, generationId: generation, memberId: member, groupInstanceId: instance, assignments: assignments)
    }
}

public struct SyncGroupWireResponse: Equatable, Sendable {
    public var errorCode: Int16
    public var assignment: [UInt8]

    /// The body, with the assignment shared with the group rather than copied.
    public func encode(version: Int16) -> ResponseBody {
        var body = ResponseBody()
        var writer = WireWriter()
        if version >= 1 { writer.integer(Int32(0)) }
        writer.integer(errorCode)
        body.append(&writer, sharing: assignment)
        return body
    }
}

public struct HeartbeatRequest: Equatable, Sendable {
    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// `group.instance.id` (v3+), set for a static member.
    public var groupInstanceId: String?

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> HeartbeatRequest {
        var request = HeartbeatRequest(groupId: try reader.string(), generationId: try reader.integer(Int32.self), memberId: try reader.string())
        if version >= 3 { request.groupInstanceId = try reader.nullableString() }
        return request
    }
}

public struct LeaveGroupRequest: Equatable, Sendable {
    public var groupId: String
    public var memberId: String

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> LeaveGroupRequest {
        LeaveGroupRequest(groupId: try reader.string(), memberId: try reader.string())
    }
}

/// The answer of Heartbeat and LeaveGroup: only an error code.
public struct ErrorOnlyResponse: Equatable, Sendable {
    public var errorCode: Int16

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 1 { writer.integer(Int32(0)) }
        writer.integer(errorCode)
        return writer.bytes
    }
}
