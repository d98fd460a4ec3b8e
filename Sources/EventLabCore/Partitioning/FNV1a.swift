/// The 32-bit FNV-1a hash, as Go's `hash/fnv.New32a` computes it for sarama's hash partitioner.
public enum FNV1a {
    /// The 32-bit FNV-1a hash of `bytes`.
    public static func hash32(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes {
            hash ^= UInt32(byte)
            hash &*= 0x0100_0193
        }
        return hash
    }
}
