/// Where the default partitioners of three Kafka clients put a key: the same key can land on
/// different partitions depending on which client wrote it.
public enum ClientKeyPlacement {
    /// Java's producer (and kafka-python): `(murmur2(key) & 0x7fffffff) % count`.
    public static func java(_ key: [UInt8], count: Int32) -> Int32 {
        (Murmur2.hash(key) & 0x7fff_ffff) % count
    }

    /// librdkafka's default `consistent_random` (confluent-kafka, kcat): `crc32(key) % count`,
    /// unsigned; nil for an empty key, which that partitioner sends to a random partition.
    public static func librdkafka(_ key: [UInt8], count: Int32) -> Int32? {
        guard !key.isEmpty else { return nil }
        return Int32(CRC32.checksum(key) % UInt32(count))
    }

    /// sarama's default hash partitioner: `int32(fnv1a(key)) % count`, a remainder that keeps
    /// the hash's sign, then negated if negative.
    public static func sarama(_ key: [UInt8], count: Int32) -> Int32 {
        let remainder = Int32(bitPattern: FNV1a.hash32(key)) % count
        return remainder < 0 ? -remainder : remainder
    }
}
