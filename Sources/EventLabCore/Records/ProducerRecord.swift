/// A record as a producer hands it to the broker, before it has an offset.
public struct ProducerRecord: Hashable, Sendable {
    /// The key; records with equal keys go to the same partition and compact together.
    public var key: [UInt8]?
    /// The value; nil is a tombstone, which deletes the key on a compacted topic.
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [RecordHeader]
    /// Milliseconds since the epoch; nil takes the broker clock's time when appended.
    public var timestamp: Int64?
    /// An explicit partition, which wins over the key's partition.
    public var partition: Int32?

    /// A record with the given parts.
    public init(
        key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [],
        timestamp: Int64? = nil, partition: Int32? = nil
    ) {
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.partition = partition
    }

    /// A record whose key and value are the UTF-8 bytes of strings.
    public init(key: String?, value: String?, headers: [RecordHeader] = [], partition: Int32? = nil) {
        self.init(
            key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) },
            headers: headers, partition: partition)
    }
}
