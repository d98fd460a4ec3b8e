/// Produce: record batches for partitions.
public struct ProduceRequest: Equatable, Sendable {
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        /// The record batch bytes: a view into the request's frame.
        public var records: ArraySlice<UInt8>?
    }

    public typealias Topic = TopicData<Partition>

    public var acks: Int16
    public var timeoutMs: Int32
    public var topics: [Topic]

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> ProduceRequest {
        _ = try reader.nullableString()  // transactional id
        let acks = try reader.integer(Int16.self)
        let timeout = try reader.integer(Int32.self)
        let topics = try reader.topics(partitionSize: 8) { reader throws(WireError) in
            Partition(index: try reader.integer(Int32.self), records: try reader.nullableBytesView())
        }
        return ProduceRequest(acks: acks, timeoutMs: timeout, topics: topics)
    }
}

public struct ProduceResponse: Equatable, Sendable {
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        public var errorCode: Int16
        public var baseOffset: Int64
        /// The time the broker stamped on the batch under LogAppendTime, else -1.
        public var logAppendTime: Int64 = -1
        public var logStartOffset: Int64
    }

    public typealias Topic = TopicData<Partition>

    public var topics: [Topic]

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        writer.topics(topics) { writer, partition in
            writer.integer(partition.index)
            writer.integer(partition.errorCode)
            writer.integer(partition.baseOffset)
            if version >= 2 { writer.integer(partition.logAppendTime) }
            if version >= 5 { writer.integer(partition.logStartOffset) }
        }
        writer.integer(Int32(0))  // throttle, last
        return writer.bytes
    }
}
