/// Kafka's murmur2 hash, bit for bit as Java's `Utils.murmur2` computes it.
public enum Murmur2 {
    /// The 32-bit murmur2 hash of `bytes` with Kafka's seed.
    public static func hash(_ bytes: [UInt8]) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let whole = length / 4 * 4
        var index = 0
        while index < whole {
            var k = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
                | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
            k &*= m
            k ^= k >> 24
            k &*= m
            h &*= m
            h ^= k
            index += 4
        }
        let tail = length - whole
        if tail >= 3 { h ^= UInt32(bytes[whole + 2]) << 16 }
        if tail >= 2 { h ^= UInt32(bytes[whole + 1]) << 8 }
        if tail >= 1 {
            h ^= UInt32(bytes[whole])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}
