/// ListGroups and DescribeGroups: what admin clients use.
public struct ListGroupsResponse: Equatable, Sendable {
    public var groups: [(id: String, protocolType: String)]

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.groups.elementsEqual(rhs.groups) { $0 == $1 } }

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 1 { writer.integer(Int32(0)) }
        writer.integer(Int16(0))
        writer.array(groups) { writer, group in
            writer.string(group.id)
            writer.string(group.protocolType)
        }
        return writer.bytes
    }
}

public struct DescribeGroupsRequest: Equatable, Sendable {
    public var groups: [String]

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> DescribeGroupsRequest {
        let groups = try reader.array(minimumSize: 2) { reader throws(WireError) in try reader.string() } ?? []
        if version >= 3 { _ = try reader.boolean() }  // include authorized operations
        return DescribeGroupsRequest(groups: groups)
    }
}

public struct DescribeGroupsResponse: Equatable, Sendable {
    public struct Member: Equatable, Sendable {
        public var memberId: String
        public var clientId: String
        public var metadata: [UInt8]
        public var assignment: [UInt8]
    }

    public struct Group: Equatable, Sendable {
        public var errorCode: Int16
        public var groupId: String
        public var state: String
        public var protocolType: String
        public var protocolName: String
        public var members: [Member]
    }

    public var groups: [Group]

    /// The body, with member metadata and assignments shared with the group rather than copied.
    public func encode(version: Int16) -> ResponseBody {
        var body = ResponseBody()
        var writer = WireWriter()
        if version >= 1 { writer.integer(Int32(0)) }
        writer.array(groups) { writer, group in
            writer.integer(group.errorCode)
            writer.string(group.groupId)
            writer.string(group.state)
            writer.string(group.protocolType)
            writer.string(group.protocolName)
            writer.array(group.members) { writer, member in
                writer.string(member.memberId)
                if version >= 4 { writer.string(nil) }  // group instance id
                writer.string(member.clientId)
                writer.string("/127.0.0.1")
                body.append(&writer, sharing: member.metadata)
                body.append(&writer, sharing: member.assignment)
            }
            if version >= 3 { writer.integer(Int32(Int32.min)) }  // authorized operations: not given
        }
        body.append(.bytes(writer.take()))
        return body
    }
}
