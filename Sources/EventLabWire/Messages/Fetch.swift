import EventLabCore

/// Fetch: record batches from offsets, with a long poll.
public struct FetchRequest: Equatable, Sendable {
    public struct Partition: Equatable, Sendable {
        public var index: Int32
        public var fetchOffset: Int64
        public var maxBytes: Int32
    }

    public typealias Topic = TopicData<Partition>

    public var maxWaitMs: Int32
    public var minBytes: Int32
    public var maxBytes: Int32
    public var topics: [Topic]

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> FetchRequest {
        _ = try reader.integer(Int32.self)  // replica id
        let maxWait = try reader.integer(Int32.self)
        let minBytes = try reader.integer(Int32.self)
        let maxBytes = version >= 3 ? try reader.integer(Int32.self) : Int32.max
        if version >= 4 { _ = try reader.integer(Int8.self) }  // isolation level
        if version >= 7 {
            _ = try reader.integer(Int32.self)  // session id
            _ = try reader.integer(Int32.self)  // session epoch
        }
        let topics = try reader.topics(partitionSize: 16) { reader throws(WireError) in
            let index = try reader.integer(Int32.self)
            if version >= 9 { _ = try reader.integer(Int32.self) }  // current leader epoch
            let offset = try reader.integer(Int64.self)
            if version >= 5 { _ = try reader.integer(Int64.self) }  // log start offset
            return Partition(index: index, fetchOffset: offset, maxBytes: try reader.integer(Int32.self))
        }
        if version >= 7 {
            _ = try reader.array(minimumSize: 6) { reader throws(WireError) in
                _ = try reader.string()
                _ = try reader.array(minimumSize: 4) { reader throws(WireError) in try reader.integer(Int32.self) }
            }
        }
        if version >= 11 { _ = try reader.string() }  // rack id
        return FetchRequest(maxWaitMs: maxWait, minBytes: minBytes, maxBytes: maxBytes, topics: topics)
    }
}

public struct FetchResponse: Sendable {
    public struct Partition: Sendable {
        public var index: Int32
        public var errorCode: Int16
        public var highWatermark: Int64
        public var logStartOffset: Int64
        /// Whole stored batches, sent as they are, one after another, read only when sent.
        public var records: [any StoredBytes]

        /// The size of the records field.
        public var recordBytes: Int { records.reduce(0) { $0 + $1.count } }
    }

    public typealias Topic = TopicData<Partition>

    public var topics: [Topic]

    /// The response, with the stored batches left where they are as pieces of their own.
    public func encode(version: Int16) -> ResponseBody {
        var body = ResponseBody()
        var writer = WireWriter()
        writer.integer(Int32(0))  // throttle (v1+)
        if version >= 7 {
            writer.integer(Int16(0))  // error code
            writer.integer(Int32(0))  // session id
        }
        writer.topics(topics) { writer, partition in
            writer.integer(partition.index)
            writer.integer(partition.errorCode)
            writer.integer(partition.highWatermark)
            writer.integer(partition.highWatermark)  // last stable offset: no transactions
            if version >= 5 { writer.integer(partition.logStartOffset) }
            writer.integer(Int32(0))  // aborted transactions: empty
            if version >= 11 { writer.integer(Int32(-1)) }  // preferred read replica
            writer.integer(Int32(partition.recordBytes))
            body.append(.bytes(writer.take()))
            for records in partition.records { body.append(.stored(records)) }
        }
        body.append(.bytes(writer.take()))
        return body
    }
}
