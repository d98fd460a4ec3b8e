/// Where Kafka keeps a consumer group: in one partition of its internal `__consumer_offsets`
/// topic, whose leader is the group's coordinator. EventLab keeps committed offsets in the
/// workspace instead, but places each group's coordinator as Kafka would.
public enum OffsetsTopic {
    /// The internal topic's name.
    public static let name = "__consumer_offsets"
    /// Its partitions: Kafka's `offsets.topic.num.partitions`, 50.
    public static let partitions = 50

    /// The partition holding group `groupId`: abs(Java's `String.hashCode`) % 50, with
    /// Kafka's `Utils.abs`, which takes Int32.min to 0.
    public static func partition(forGroup groupId: String) -> Int32 {
        let hash = javaHashCode(groupId)
        return (hash == .min ? 0 : abs(hash)) % Int32(partitions)
    }

    /// The replicas of group `groupId`'s partition, the preferred leader first, over `brokers`
    /// (ascending); empty with no brokers.
    public static func replicas(forGroup groupId: String, brokers: [Int32]) -> [Int32] {
        guard !brokers.isEmpty else { return [] }
        return replicas(brokers: brokers)[Int(partition(forGroup: groupId))]
    }

    /// Every partition's replicas, the preferred leader first, over `brokers` (ascending, at
    /// least one): Kafka's rack-unaware assignment of the topic with replication factor
    /// min(3, brokers) (`offsets.topic.replication.factor`).
    static func replicas(brokers: [Int32]) -> [[Int32]] {
        let (start, shift) = ReplicaAssignment.seeds(for: name, brokers: brokers.count)
        return ReplicaAssignment.assign(
            partitions: partitions, replicationFactor: min(3, brokers.count), brokers: brokers, start: start, shift: shift)
    }

    /// Java's `String.hashCode`: s[0]·31^(n-1) + … + s[n-1] over the string's UTF-16 code
    /// units, wrapping as Int32 does.
    public static func javaHashCode(_ string: String) -> Int32 {
        string.utf16.reduce(Int32(0)) { $0 &* 31 &+ Int32($1) }
    }
}
