/// A record as it sits in a partition: its offset, timestamp, key, value and headers.
public struct Record: Hashable, Sendable {
    /// The record's position in its partition.
    public var offset: Int64
    /// Milliseconds since the epoch.
    public var timestamp: Int64
    /// The key, if any: a view into the batch's bytes, not a copy.
    public var key: ArraySlice<UInt8>?
    /// The value; nil is a tombstone. A view into the batch's bytes, not a copy.
    public var value: ArraySlice<UInt8>?
    /// Headers, in order.
    public var headers: [RecordHeader]

    /// A record with the given parts.
    public init(
        offset: Int64, timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []
    ) {
        self.init(offset: offset, timestamp: timestamp, key: key?[...], value: value?[...], headers: headers)
    }

    /// A record whose key and value are views into existing bytes.
    public init(
        offset: Int64, timestamp: Int64, key: ArraySlice<UInt8>?, value: ArraySlice<UInt8>?, headers: [RecordHeader] = []
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// True when the value is nil: on a compacted topic the key is deleted.
    public var isTombstone: Bool { value == nil }
}

/// Where an appended record landed.
public struct RecordPosition: Hashable, Sendable, CustomStringConvertible {
    /// The partition index.
    public var partition: Int32
    /// The offset within the partition.
    public var offset: Int64

    /// A position at `offset` of `partition`.
    public init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }

    public var description: String { "p\(partition) @\(offset)" }
}
