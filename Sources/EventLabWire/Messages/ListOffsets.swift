/// ListOffsets: the earliest (-2), latest (-1) or first-at-a-time offset of partitions.
public struct ListOffsetsRequest: Equatable, Sendable {
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        public var timestamp: Int64
    }

    public typealias Topic = TopicData<Partition>

    public var topics: [Topic]

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> ListOffsetsRequest {
        _ = try reader.integer(Int32.self)  // replica id
        if version >= 2 { _ = try reader.integer(Int8.self) }  // isolation level
        let topics = try reader.topics(partitionSize: 12) { reader throws(WireError) in
            Partition(index: try reader.integer(Int32.self), timestamp: try reader.integer(Int64.self))
        }
        return ListOffsetsRequest(topics: topics)
    }
}

public struct ListOffsetsResponse: Equatable, Sendable {
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        public var errorCode: Int16
        public var timestamp: Int64
        public var offset: Int64
    }

    public typealias Topic = TopicData<Partition>

    public var topics: [Topic]

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 2 { writer.integer(Int32(0)) }
        writer.topics(topics) { writer, partition in
            writer.integer(partition.index)
            writer.integer(partition.errorCode)
            writer.integer(partition.timestamp)
            writer.integer(partition.offset)
        }
        return writer.bytes
    }
}
