/// Writes Kafka's protocol primitives.
public struct WireWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// A big-endian integer.
    public mutating func integer<T: FixedWidthInteger>(_ value: T) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// `INT8` 0 or 1.
    public mutating func boolean(_ value: Bool) { integer(Int8(value ? 1 : 0)) }

    /// `NULLABLE_STRING`. A string over int16's 32,767 bytes is cut at the last whole character
    /// that fits, so what is sent is still UTF-8.
    public mutating func string(_ value: String?) {
        guard let value else { return integer(Int16(-1)) }
        var fits = 0
        if value.utf8.count > Int(Int16.max) {
            for scalar in value.unicodeScalars {
                guard fits + UTF8.width(scalar) <= Int(Int16.max) else { break }
                fits += UTF8.width(scalar)
            }
        } else {
            fits = value.utf8.count
        }
        let utf8 = Array(value.utf8.prefix(fits))
        integer(Int16(utf8.count))
        bytes += utf8
    }

    /// `NULLABLE_BYTES`.
    public mutating func bytes(_ value: [UInt8]?) {
        guard let value else { return integer(Int32(-1)) }
        integer(Int32(value.count))
        bytes += value
    }

    /// `ARRAY` of `elements`, each written by `body`.
    public mutating func array<T>(_ elements: [T]?, _ body: (inout WireWriter, T) -> Void) {
        guard let elements else { return integer(Int32(-1)) }
        integer(Int32(elements.count))
        for element in elements { body(&self, element) }
    }

    /// An unsigned varint.
    public mutating func unsignedVarint(_ value: UInt32) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// `COMPACT_NULLABLE_STRING`: its length plus one as an unsigned varint (0 for null).
    public mutating func compactString(_ value: String?) {
        guard let value else { return unsignedVarint(0) }
        unsignedVarint(UInt32(value.utf8.count + 1))
        bytes += value.utf8
    }

    /// A length: int32 (`wide`) or int16, -1 for null; or, `compact`, an unsigned varint of the
    /// length plus one, 0 for null.
    public mutating func length(_ value: Int?, compact: Bool, wide: Bool) {
        switch (value, compact) {
        case (nil, true): unsignedVarint(0)
        case (let value?, true): unsignedVarint(UInt32(value + 1))
        case (nil, false): wide ? integer(Int32(-1)) : integer(Int16(-1))
        case (let value?, false): wide ? integer(Int32(value)) : integer(Int16(value))
        }
    }

    /// An array's element count, as `length` writes it.
    public mutating func count(_ value: Int?, compact: Bool) { length(value, compact: compact, wide: true) }

    /// An empty tagged-field block.
    public mutating func noTaggedFields() { bytes.append(0) }

    /// Raw bytes.
    public mutating func raw(_ value: [UInt8]) { bytes += value }

    /// The bytes written so far, leaving the writer empty.
    mutating func take() -> ArraySlice<UInt8> {
        defer { bytes = [] }
        return bytes[...]
    }
}
