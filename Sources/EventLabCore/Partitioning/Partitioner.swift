/// Picks a partition for a record the way Kafka's Java producer does.
///
/// An explicit partition wins; a key goes to `(murmur2(key) & 0x7fffffff) % partitions`, so
/// a key lands where a real Kafka producer would put it; a record without a key takes the next
/// partition in turn (round-robin), which keeps EventLab's output reproducible.
public struct Partitioner: Hashable, Sendable {
    private var nextUnkeyed: Int32 = 0

    /// A partitioner whose first unkeyed record goes to partition 0.
    public init() {}

    /// The partition a key maps to among `count` partitions.
    public static func partition(forKey key: [UInt8], count: Int32) -> Int32 {
        (Murmur2.hash(key) & 0x7fff_ffff) % count
    }

    /// The partition for `record` among `count` partitions; advances the round-robin turn for
    /// unkeyed records.
    public mutating func partition(for record: ProducerRecord, count: Int32) -> Int32 {
        if let explicit = record.partition { return explicit }
        if let key = record.key { return Self.partition(forKey: key, count: count) }
        let chosen = nextUnkeyed % count
        nextUnkeyed = (chosen + 1) % count
        return chosen
    }
}
