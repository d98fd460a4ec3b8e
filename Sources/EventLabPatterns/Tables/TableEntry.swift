import EventLabCore

/// One key's current value in a table, and where in the topic it came from.
public struct TableEntry: Hashable, Sendable {
    /// The key's bytes.
    public var key: [UInt8]
    /// The value's bytes as the record held them; expressions parse them when they look it up.
    public var value: [UInt8]
    /// The partition the value was read from.
    public var partition: Int32
    /// The offset of the record that set the value.
    public var offset: Int64
    /// That record's timestamp, in milliseconds since the epoch.
    public var timestamp: Int64
    /// That record's headers, in order.
    public var headers: [RecordHeader]

    /// An entry with the given parts.
    public init(key: [UInt8], value: [UInt8], partition: Int32, offset: Int64, timestamp: Int64, headers: [RecordHeader] = []) {
        self.key = key
        self.value = value
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.headers = headers
    }
}

/// What a table keeps per key besides the key itself.
struct StoredValue: Sendable {
    var value: [UInt8]
    var partition: Int32
    var offset: Int64
    var timestamp: Int64
    var headers: [RecordHeader]

    /// Takes `record`'s value, writing its bytes over the old ones: a key updated again and
    /// again keeps one buffer rather than allocating one per update.
    mutating func replace(_ bytes: ArraySlice<UInt8>, partition: Int32, record: Record) {
        value.removeAll(keepingCapacity: true)
        value.append(contentsOf: bytes)
        self.partition = partition
        offset = record.offset
        timestamp = record.timestamp
        headers = record.headers
    }
}
