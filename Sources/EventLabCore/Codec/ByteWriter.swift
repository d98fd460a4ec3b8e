/// Appends big-endian integers and Kafka's zigzag varints to a byte array.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// A writer with room reserved for `capacity` bytes.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    public var count: Int { bytes.count }

    /// Appends `value` big-endian, in as many bytes as its type has.
    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes.
    public mutating func write(bytes more: some Sequence<UInt8>) {
        bytes.append(contentsOf: more)
    }

    /// Appends a zigzag-encoded signed varint, as Kafka records use.
    public mutating func writeVarint(_ value: Int64) {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while zigzag >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
            zigzag >>= 7
        }
        bytes.append(UInt8(zigzag))
    }

    /// Appends a varint length followed by the bytes, or -1 for nil.
    public mutating func writeVarintBytes<Bytes: Collection<UInt8>>(_ value: Bytes?) {
        guard let value else { return writeVarint(-1) }
        writeVarint(Int64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Overwrites `value` big-endian at `offset`, which must already have been written.
    public mutating func overwrite<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }

    /// The number of bytes a varint length plus `value` take; 1 for nil.
    public static func varintBytesSize(_ value: (some Collection<UInt8>)?) -> Int {
        guard let value else { return 1 }
        return varintSize(Int64(value.count)) + value.count
    }

    /// The number of bytes `value` takes as a zigzag varint.
    public static func varintSize(_ value: Int64) -> Int {
        var zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var size = 1
        while zigzag >= 0x80 {
            zigzag >>= 7
            size += 1
        }
        return size
    }
}
