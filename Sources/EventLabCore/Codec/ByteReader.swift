/// Reads big-endian integers and Kafka's zigzag varints from a byte buffer, never past its end.
///
/// Every read checks the bounds and throws ``ByteReader/Truncated`` instead of trapping,
/// because the bytes may come from a file or a network client.
/// Use it inside `withUnsafeBytes`; it must not outlive the buffer it reads.
public struct ByteReader {
    /// Thrown when the input ends before a value does, or a varint is malformed.
    public struct Truncated: Error, Equatable {
        /// Where in the buffer the bad value starts.
        public let position: Int
    }

    private let buffer: UnsafeRawBufferPointer
    /// The index of the next byte to read.
    public private(set) var position: Int

    /// A reader over `buffer`, starting at `position`.
    public init(_ buffer: UnsafeRawBufferPointer, position: Int = 0) {
        self.buffer = buffer
        self.position = position
    }

    /// The number of bytes not read yet.
    public var remaining: Int { buffer.count - position }

    /// Reads a big-endian fixed-width integer.
    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(Truncated) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw Truncated(position: position) }
        var value: T = 0
        for index in 0..<size { value = value << 8 | T(truncatingIfNeeded: buffer[position + index]) }
        position += size
        return value
    }

    /// Reads a zigzag-encoded signed varint of at most 10 bytes.
    @inline(__always)
    public mutating func readVarint() throws(Truncated) -> Int64 {
        if position < buffer.count, buffer[position] < 0x80 {
            let byte = Int64(buffer[position])
            position += 1
            return (byte >> 1) ^ -(byte & 1)
        }
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < buffer.count, shift < 64 else { throw Truncated(position: start) }
            let byte = buffer[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
    }

    /// Reads `count` bytes.
    public mutating func readBytes(_ count: Int) throws(Truncated) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw Truncated(position: position) }
        let start = position
        position += count
        return [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
            if count > 0 { target.baseAddress!.initialize(from: buffer.baseAddress!.advanced(by: start).assumingMemoryBound(to: UInt8.self), count: count) }
            initialized = count
        }
    }

    /// Reads a varint length and that many bytes; a length of -1 is nil.
    public mutating func readVarintBytes() throws(Truncated) -> [UInt8]? {
        let start = position
        let length = try readVarint()
        if length == -1 { return nil }
        guard length >= 0, length <= Int64(remaining) else { throw Truncated(position: start) }
        return try readBytes(Int(length))
    }

    /// Reads a varint length and returns where that many bytes sit; nil for a length of -1.
    /// Lets a decoder slice its own array instead of copying.
    @inline(__always)
    public mutating func readVarintRange() throws(Truncated) -> Range<Int>? {
        let start = position
        let length = try readVarint()
        if length == -1 { return nil }
        guard length >= 0, length <= Int64(remaining) else { throw Truncated(position: start) }
        position += Int(length)
        return position - Int(length)..<position
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws(Truncated) {
        guard count >= 0, remaining >= count else { throw Truncated(position: position) }
        position += count
    }
}

extension ByteReader {
    /// Runs `body` with a reader over `bytes`, starting at `position`.
    public static func reading<T>(
        _ bytes: [UInt8], from position: Int = 0, _ body: (inout ByteReader) throws(Truncated) -> T
    ) throws(Truncated) -> T {
        let result: Result<T, Truncated> = bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw, position: position)
            do throws(Truncated) {
                return .success(try body(&reader))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
