import CZlib

/// CRC-32 (IEEE 802.3, zlib's polynomial), which every magic-0 and magic-1 message carries
/// over its magic byte to its end; RecordBatch v2 moved to CRC-32C.
enum CRC32 {
    /// The checksum of `bytes`.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The checksum of the bytes `buffer` points to.
    static func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(buffer.count)))
    }
}
