/// Reads Kafka's protocol primitives from one frame, never past its end.
///
/// Every length and count is checked against the bytes that remain before anything is
/// allocated, so a hostile count cannot make the broker reserve gigabytes.
public struct WireReader {
    private let buffer: [UInt8]
    /// The next byte to read.
    public private(set) var position: Int

    /// A reader of `bytes` from `position`.
    public init(_ bytes: [UInt8], position: Int = 0) {
        buffer = bytes
        self.position = position
    }

    /// Bytes not read yet.
    public var remaining: Int { buffer.count - position }

    private func need(_ count: Int, _ what: String) throws(WireError) {
        guard count >= 0, remaining >= count else {
            throw WireError("\(what) needs \(count) bytes at byte \(position), but only \(remaining) remain")
        }
    }

    /// A big-endian integer.
    public mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) throws(WireError) -> T {
        try need(MemoryLayout<T>.size, "\(T.self)")
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size { value = value << 8 | T(truncatingIfNeeded: buffer[position + index]) }
        position += MemoryLayout<T>.size
        return value
    }

    /// `INT8` as a Boolean.
    public mutating func boolean() throws(WireError) -> Bool { try integer(Int8.self) != 0 }

    /// `STRING` (int16 length); -1 is an error.
    public mutating func string() throws(WireError) -> String {
        guard let text = try nullableString() else { throw WireError("a string at byte \(position) is null but may not be") }
        return text
    }

    /// `NULLABLE_STRING` (int16 length, -1 for null).
    public mutating func nullableString() throws(WireError) -> String? {
        let length = try integer(Int16.self)
        if length < 0 { return nil }
        return String(decoding: try raw(Int(length)), as: UTF8.self)
    }

    /// `NULLABLE_BYTES` (int32 length, -1 for null).
    public mutating func nullableBytes() throws(WireError) -> [UInt8]? {
        try nullableBytesView().map(Array.init)
    }

    /// `NULLABLE_BYTES` (or, `compact`, `COMPACT_NULLABLE_BYTES`) as a view into the frame, not a
    /// copy: for record batches.
    public mutating func nullableBytesView(compact: Bool = false) throws(WireError) -> ArraySlice<UInt8>? {
        if compact {
            let length = try unsignedVarint()
            return length == 0 ? nil : try raw(Int(length) - 1)
        }
        let length = try integer(Int32.self)
        if length < 0 { return nil }
        return try raw(Int(length))
    }

    /// An array's element count: int32 (-1 for null) or, `compact`, an unsigned varint of the
    /// count plus one (0 for null).
    public mutating func count(compact: Bool) throws(WireError) -> Int? {
        if compact {
            let count = try unsignedVarint()
            return count == 0 ? nil : Int(count) - 1
        }
        let count = try integer(Int32.self)
        return count < 0 ? nil : Int(count)
    }

    /// `BYTES`.
    public mutating func bytes() throws(WireError) -> [UInt8] { try nullableBytes() ?? [] }

    /// `ARRAY` (int32 count; -1 for null), each element read by `element`. Every element takes
    /// at least `minimumSize` bytes, so a count the frame cannot hold is refused at once.
    public mutating func array<T>(minimumSize: Int = 1, _ element: (inout WireReader) throws(WireError) -> T) throws(WireError) -> [T]? {
        let count = try integer(Int32.self)
        if count < 0 { return nil }
        guard Int(count) * max(1, minimumSize) <= remaining else {
            throw WireError("an array of \(count) elements cannot fit the \(remaining) bytes left")
        }
        var result: [T] = []
        result.reserveCapacity(min(Int(count), 1024))
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    /// An unsigned varint (flexible versions' lengths and counts).
    public mutating func unsignedVarint() throws(WireError) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = try integer(UInt8.self)
            guard shift < 32 else { throw WireError("an unsigned varint at byte \(position) is too long") }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// `COMPACT_STRING` (length + 1 as an unsigned varint; 0 is null).
    public mutating func compactNullableString() throws(WireError) -> String? {
        let length = try unsignedVarint()
        if length == 0 { return nil }
        return String(decoding: try raw(Int(length) - 1), as: UTF8.self)
    }

    /// Skips a tagged-field block.
    public mutating func skipTaggedFields() throws(WireError) {
        let count = try unsignedVarint()
        for _ in 0..<count {
            _ = try unsignedVarint()
            let size = try unsignedVarint()
            _ = try raw(Int(size))
        }
    }

    /// `count` raw bytes, as a view into the frame.
    public mutating func raw(_ count: Int) throws(WireError) -> ArraySlice<UInt8> {
        try need(count, "a field")
        defer { position += count }
        return buffer[position..<position + count]
    }
}
