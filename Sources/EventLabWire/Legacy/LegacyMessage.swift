import EventLabCore

/// One message of magic 0 or 1, read from a message set and checked against its CRC-32.
///
/// Layout (big-endian): offset i64, size i32 (the bytes after it), crc u32 (CRC-32 from magic
/// to the end), magic i8, attributes i8 (codec in bits 0–2, LogAppendTime in bit 3 from magic
/// 1 on), timestamp i64 (magic 1 only), key (i32 length, -1 for null), value (the same).
/// Key and value are views into the bytes read, not copies.
struct LegacyMessage {
    /// Offset and size, before the message proper.
    static let logOverhead = 12
    /// The smallest message proper: magic 0 with a null key and value.
    static let minimumSize = 14
    /// Magic 1's message proper adds its timestamp.
    static let minimumSizeV1 = 22
    static let codecMask: Int8 = 0x07
    static let logAppendTimeBit: Int8 = 0x08

    /// Where the message starts in the set it was read from.
    var position: Int
    var offset: Int64
    var magic: Int8
    var attributes: Int8
    /// -1 (Kafka's NO_TIMESTAMP) for magic 0, which carries none.
    var timestamp: Int64
    var key: ArraySlice<UInt8>?
    var value: ArraySlice<UInt8>?

    /// The compression codec: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
    var codec: Int { Int(attributes & Self.codecMask) }
    /// Whether a broker stamped the message with its append time (never on magic 0).
    var isLogAppendTime: Bool { magic == 1 && attributes & Self.logAppendTimeBit != 0 }

    /// What a message cut off at the end of a set means.
    enum CutOff {
        /// A reader skips it: a broker cut the set at a fetch's size limit.
        case skipped
        /// The set is corrupt, `because` it must hold whole messages only.
        case corrupt(because: String)
    }

    /// Splits `bytes` into messages, each checked; a message cut off at the end is an error or
    /// skipped, as `cutOff` says, and the bytes skipped are `partialTail`.
    ///
    /// - Throws: `CORRUPT_MESSAGE` naming the message (by its byte, after `place`) and what is wrong.
    static func messages(
        in bytes: ArraySlice<UInt8>, place: String, cutOff: CutOff
    ) throws(BrokerError) -> (messages: [LegacyMessage], partialTail: Int) {
        var messages: [LegacyMessage] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let position = start - bytes.startIndex
            let remaining = bytes.endIndex - start
            let size = remaining < logOverhead ? nil : Int(integer(Int32.self, in: bytes, at: start + 8))
            if let size, size < minimumSize {
                throw corrupt("\(place)the message at byte \(position) says its size is \(size), less than the \(minimumSize) bytes of the smallest message")
            }
            guard let size, size <= remaining - logOverhead else {
                guard case .corrupt(let reason) = cutOff else { return (messages, remaining) }
                let claimed = size.map { "\(logOverhead + $0) bytes" } ?? "at least \(logOverhead) bytes"
                throw corrupt("\(place)the message at byte \(position) is cut off: it needs \(claimed) but \(remaining) remain, and \(reason)")
            }
            let body = bytes[(start + logOverhead)..<(start + logOverhead + size)]
            messages.append(try LegacyMessage(
                position: position, offset: integer(Int64.self, in: bytes, at: start), body: body, place: place))
            start = body.endIndex
        }
        return (messages, 0)
    }

    /// Reads the message whose bytes after offset and size are `body` (at least `minimumSize`).
    private init(position: Int, offset: Int64, body: ArraySlice<UInt8>, place: String) throws(BrokerError) {
        // Worded only on failure: this runs once per message.
        func here() -> String { "\(place)the message at byte \(position)" }
        let start = body.startIndex
        self.position = position
        self.offset = offset
        magic = Int8(bitPattern: body[start + 4])
        attributes = Int8(bitPattern: body[start + 5])
        guard magic == 0 || magic == 1 else {
            let v2 = magic == 2 ? " (magic 2 is a RecordBatch v2, which does not mix with older messages)" : ""
            throw Self.corrupt("\(here()) has magic \(magic); a message set holds magic 0 or 1\(v2)")
        }
        guard magic == 0 || body.count >= Self.minimumSizeV1 else {
            throw Self.corrupt("\(here()) is magic 1 but its size \(body.count) is less than the \(Self.minimumSizeV1) bytes of the smallest one")
        }
        let stored = Self.integer(UInt32.self, in: body, at: start)
        let computed = CRC32.checksum(body.dropFirst(4))
        guard stored == computed else {
            throw Self.corrupt("\(here()) fails its CRC-32: it says \(hex(stored)), its bytes give \(hex(computed))")
        }
        timestamp = magic == 0 ? -1 : Self.integer(Int64.self, in: body, at: start + 6)
        var index = start + (magic == 0 ? 6 : 14)
        key = try Self.sizedBytes(in: body, at: &index, field: "key", here: here)
        value = try Self.sizedBytes(in: body, at: &index, field: "value", here: here)
        // Bytes after the value, inside the message's size, are ignored, as Kafka's
        // LegacyRecord ignores them: the CRC vouches they were sent, and no reader sees them.
    }

    /// A length-prefixed field at `index`, which moves past it.
    private static func sizedBytes(
        in body: ArraySlice<UInt8>, at index: inout Int, field: StaticString, here: () -> String
    ) throws(BrokerError) -> ArraySlice<UInt8>? {
        guard body.endIndex - index >= 4 else {
            throw corrupt("\(here()) ends before its \(field)'s length")
        }
        let length = Int(integer(Int32.self, in: body, at: index))
        index += 4
        // Any negative length is null, as Kafka's LegacyRecord reads it; old clients write -1.
        if length < 0 { return nil }
        guard length <= body.endIndex - index else {
            throw corrupt("\(here()) says its \(field) takes \(length) bytes, but \(body.endIndex - index) remain in it")
        }
        defer { index += length }
        return body[index..<(index + length)]
    }

    /// A big-endian integer at `index`, which the caller has checked lies within `bytes`.
    static func integer<T: FixedWidthInteger>(_: T.Type, in bytes: ArraySlice<UInt8>, at index: Int) -> T {
        var value: T = 0
        for byte in bytes[index..<(index + MemoryLayout<T>.size)] { value = value << 8 | T(truncatingIfNeeded: byte) }
        return value
    }

    /// Kafka's error for a message set that does not hold together.
    static func corrupt(_ detail: String) -> BrokerError {
        BrokerError(.corruptMessage, "corrupt message set: \(detail)")
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
