/// Where a topic's partitions' replicas go: Kafka's rack-unaware assignment
/// (`AdminUtils.assignReplicasToBrokersRackUnaware`).
///
/// The first replica of partition p is broker `(p + start) % n`; the others follow it at a
/// shift that grows by one every n partitions, so leaders and followers both spread over the
/// brokers. Kafka draws `start` and the first shift at random; here both come from the topic's
/// name, so the same topic lands on the same brokers in every run.
public enum ReplicaAssignment {
    /// Replicas for partitions `first..<first + count`, each list in preference order (its
    /// first broker is the preferred leader). Added partitions (`first > 0`) continue as Kafka's
    /// `kafka-topics --alter` does: `start` and `shift` both the index of partition 0's first
    /// replica.
    ///
    /// - Precondition: `1 <= replicationFactor <= brokers.count`; `brokers` ascending.
    public static func assign(
        partitions count: Int, from first: Int = 0, replicationFactor: Int, brokers: [Int32], start: Int, shift: Int
    ) -> [[Int32]] {
        let n = brokers.count
        var nextShift = shift
        return (first..<first + count).map { partition in
            if partition > 0 && partition % n == 0 { nextShift += 1 }
            let firstIndex = (partition + start) % n
            var replicas = [brokers[firstIndex]]
            for j in 0..<replicationFactor - 1 {
                let offset = 1 + (nextShift + j) % (n - 1)
                replicas.append(brokers[(firstIndex + offset) % n])
            }
            return replicas
        }
    }

    /// The start index and shift Kafka would draw at random, taken from the topic's name instead.
    public static func seeds(for topic: String, brokers: Int) -> (start: Int, shift: Int) {
        let hash = Int(Murmur2.hash(Array(topic.utf8)) & 0x7fff_ffff)
        return (hash % brokers, (hash / brokers) % brokers)
    }
}
