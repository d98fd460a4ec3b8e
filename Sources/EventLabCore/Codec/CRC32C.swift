import CCRC32C

/// CRC-32C (Castagnoli), the checksum of Kafka's RecordBatch v2.
///
/// Uses the CPU's CRC32 instruction where there is one (SSE4.2), as Kafka's Java client and
/// librdkafka do; elsewhere slicing-by-8, where eight 256-entry tables let the loop consume eight
/// bytes per step.
public enum CRC32C {
    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard hardwareAvailable, let base = bytes.baseAddress else { return softwareChecksum(bytes) }
        return ccrc32c_hardware_update(0xFFFF_FFFF, base, bytes.count) ^ 0xFFFF_FFFF
    }

    /// Whether `checksum` uses the CPU instruction.
    public static let hardwareAvailable = ccrc32c_hardware_available() != 0

    /// The checksum by slicing-by-8 tables, on any CPU.
    static func softwareChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        var crc: UInt32 = 0xFFFF_FFFF
        var index = 0
        let count = bytes.count
        let t0 = tables, t1 = t0 + 256, t2 = t1 + 256, t3 = t2 + 256
        let t4 = t3 + 256, t5 = t4 + 256, t6 = t5 + 256, t7 = t6 + 256
        while count &- index >= 8 {
            let word = (base + index).loadUnaligned(as: UInt64.self).littleEndian
            let low = crc ^ UInt32(truncatingIfNeeded: word)
            let high = UInt32(truncatingIfNeeded: word &>> 32)
            crc = t7[Int(low & 0xFF)] ^ t6[Int((low &>> 8) & 0xFF)] ^ t5[Int((low &>> 16) & 0xFF)] ^ t4[Int(low &>> 24)]
                ^ t3[Int(high & 0xFF)] ^ t2[Int((high &>> 8) & 0xFF)] ^ t1[Int((high &>> 16) & 0xFF)] ^ t0[Int(high &>> 24)]
            index &+= 8
        }
        while index < count {
            crc = t0[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc &>> 8)
            index &+= 1
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }

    /// Table k maps a byte to its CRC contribution k bytes further back. Allocated once and
    /// never freed, so the hot loop reads it through a plain pointer.
    private nonisolated(unsafe) static let tables: UnsafePointer<UInt32> = {
        let polynomial: UInt32 = 0x82F6_3B78
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            table[byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<8 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = table[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        let storage = UnsafeMutablePointer<UInt32>.allocate(capacity: table.count)
        storage.initialize(from: table, count: table.count)
        return UnsafePointer(storage)
    }()
}
