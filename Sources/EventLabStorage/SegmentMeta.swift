import EventLabCore

/// A closed segment's summary, saved beside it so opening a large log needs no scan.
///
/// 52 bytes: "ELSM", version u16, reserved u16, endOffset, byteCount, recordCount,
/// firstTimestamp, maxTimestamp (i64 each; Int64.min for none), CRC-32C of what precedes it.
enum SegmentMeta {
    static let size = 52

    static func encode(_ info: SegmentInfo) -> [UInt8] {
        var writer = ByteWriter(capacity: size)
        writer.write(bytes: Array("ELSM".utf8))
        writer.write(UInt16(1))
        writer.write(UInt16(0))
        writer.write(info.endOffset)
        writer.write(Int64(info.byteCount))
        writer.write(Int64(info.recordCount))
        writer.write(info.firstTimestamp ?? .min)
        writer.write(info.maxTimestamp ?? .min)
        writer.write(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// The summary, or nil if the bytes are not a valid summary of a segment at `base`.
    static func decode(_ bytes: [UInt8]?, base: Int64) -> SegmentInfo? {
        guard let bytes, bytes.count == size, Array(bytes.prefix(4)) == Array("ELSM".utf8),
              readUInt32(bytes, at: size - 4) == CRC32C.checksum(bytes.prefix(size - 4))
        else { return nil }
        func field(_ index: Int) -> Int64 { Int64(bitPattern: readUInt64(bytes, at: 8 + index * 8)) }
        let info = SegmentInfo(
            baseOffset: base, endOffset: field(0), byteCount: Int(field(1)), recordCount: Int(field(2)),
            firstTimestamp: field(3) == .min ? nil : field(3), maxTimestamp: field(4) == .min ? nil : field(4))
        return info.byteCount >= 0 && info.recordCount >= 0 && info.endOffset >= base ? info : nil
    }
}
