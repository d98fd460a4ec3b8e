/// OffsetCommit and OffsetFetch: a group's committed offsets.
public struct OffsetCommitRequest: Equatable, Sendable {
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        public var offset: Int64
        public var metadata: String?
    }

    public typealias Topic = TopicData<Partition>

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    public var topics: [Topic]

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> OffsetCommitRequest {
        let group = try reader.string()
        let generation = try reader.integer(Int32.self)
        let member = try reader.string()
        if version >= 7 { _ = try reader.nullableString() }
        if (2...4).contains(version) { _ = try reader.integer(Int64.self) }  // retention time
        let topics = try reader.topics(partitionSize: 14) { reader throws(WireError) in
            let index = try reader.integer(Int32.self)
            let offset = try reader.integer(Int64.self)
            if version >= 6 { _ = try reader.integer(Int32.self) }  // leader epoch
            return Partition(index: index, offset: offset, metadata: try reader.nullableString())
        }
        return OffsetCommitRequest(groupId: group, generationId: generation, memberId: member, topics: topics)
    }
}

public struct OffsetCommitResponse: Equatable, Sendable {
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [(index: Int32, errorCode: Int16)]

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.name == rhs.name && lhs.partitions.elementsEqual(rhs.partitions) { $0 == $1 }
        }
    }

    public var topics: [Topic]

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 3 { writer.integer(Int32(0)) }
        writer.array(topics) { writer, topic in
            writer.string(topic.name)
            writer.array(topic.partitions) { writer, partition in
                writer.integer(partition.index)
                writer.integer(partition.errorCode)
            }
        }
        return writer.bytes
    }
}

public struct OffsetFetchRequest: Equatable, Sendable {
    public var groupId: String
    /// Nil asks for every topic the group committed on.
    public var topics: [(name: String, partitions: [Int32])]?

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.groupId == rhs.groupId }

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> OffsetFetchRequest {
        let group = try reader.string()
        let topics = try reader.array(minimumSize: 6) { reader throws(WireError) in
            (name: try reader.string(), partitions: try reader.array(minimumSize: 4) { reader throws(WireError) in try reader.integer(Int32.self) } ?? [])
        }
        return OffsetFetchRequest(groupId: group, topics: topics)
    }
}

public struct OffsetFetchResponse: Equatable, Sendable {
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        public var offset: Int64
        public var metadata: String?
        public var errorCode: Int16
    }

    public typealias Topic = TopicData<Partition>

    public var topics: [Topic]

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 3 { writer.integer(Int32(0)) }
        writer.topics(topics) { writer, partition in
            writer.integer(partition.index)
            writer.integer(partition.offset)
            if version >= 5 { writer.integer(Int32(-1)) }  // leader epoch
            writer.string(partition.metadata)
            writer.integer(partition.errorCode)
        }
        if version >= 2 { writer.integer(Int16(0)) }  // top-level error, last
        return writer.bytes
    }
}
