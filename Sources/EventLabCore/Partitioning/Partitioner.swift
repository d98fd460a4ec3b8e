/// The rule for records without a key.
public enum UnkeyedPartitioning: String, CaseIterable, Hashable, Sendable {
    /// Java's default since Kafka 3.3 (KIP-794): stick to one partition for `batch.size` bytes.
    case sticky
    /// Partitions in turn: what Java did before sticky partitioning (KIP-480), and EventLab before.
    case roundRobin = "round-robin"
}

/// Picks a partition for a record the way Kafka's Java producer does.
///
/// An explicit partition wins; a key goes to `(murmur2(key) & 0x7fffffff) % partitions`, so
/// a key lands where a real Kafka producer would put it; a record without a key follows
/// ``UnkeyedPartitioning``: the sticky partitioner, or the next partition in turn.
public struct Partitioner: Hashable, Sendable {
    private var nextUnkeyed: Int32 = 0
    /// Where unkeyed records go under the sticky rule.
    public private(set) var sticky = StickyPartitioner()

    /// A partitioner whose first round-robin record goes to partition 0 and whose sticky
    /// partition is not chosen yet.
    public init() {}

    /// The partition a key maps to among `count` partitions.
    public static func partition(forKey key: [UInt8], count: Int32) -> Int32 {
        ClientKeyPlacement.java(key, count: count)
    }

    /// The partition for `record` among `count` partitions; advances the round-robin turn
    /// for an unkeyed record placed in turn.
    public mutating func partition(
        for record: ProducerRecord, count: Int32, unkeyed: UnkeyedPartitioning, random: inout SeededRandom
    ) -> Int32 {
        if let explicit = record.partition { return explicit }
        if let key = record.key { return Self.partition(forKey: key, count: count) }
        switch unkeyed {
        case .sticky:
            return sticky.partition(count: count, random: &random)
        case .roundRobin:
            let chosen = nextUnkeyed % count
            nextUnkeyed = (chosen + 1) % count
            return chosen
        }
    }

    /// Tells the partitioner that `record`, placed by ``partition(for:count:unkeyed:random:)``,
    /// added `bytes` to its batch: the sticky rule counts them toward `batch.size`. `bytes` is
    /// evaluated only for a record the sticky rule placed.
    public mutating func appended(
        _ record: ProducerRecord, bytes: @autoclosure () -> Int, count: Int32, unkeyed: UnkeyedPartitioning,
        random: inout SeededRandom
    ) {
        guard record.partition == nil, record.key == nil, unkeyed == .sticky else { return }
        sticky.appended(bytes(), count: count, random: &random)
    }
}
