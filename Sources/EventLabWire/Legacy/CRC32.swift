import CCRC32

/// CRC-32 (IEEE 802.3, zlib's polynomial), which every magic-0 and magic-1 message carries
/// over its magic byte to its end; RecordBatch v2 moved to CRC-32C. Folded by carry-less
/// multiplication where the CPU can (about ten times zlib's speed on a 100-byte message, which
/// is most of what converting a message costs), else zlib's.
enum CRC32 {
    /// The checksum of `bytes`.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The checksum of the bytes `buffer` points to.
    static func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        ccrc32_update(0, buffer.baseAddress, buffer.count)
    }
}
