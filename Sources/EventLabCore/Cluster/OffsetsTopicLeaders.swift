/// The controller's view of `__consumer_offsets` (``OffsetsTopic``), whose partitions' leaders
/// coordinate the groups: its replicas, placed once over the brokers there were when the
/// cluster was created, and who leads each partition now.
///
/// As Kafka creates the topic once and keeps its placement, a broker added later hosts none of
/// it: a workspace made with one broker and grown to three keeps the whole topic on broker 1,
/// replication factor 1, exactly as Kafka would have created it then. Leaders move as data
/// partitions' do: to the next live replica when a broker goes down, back to the preferred
/// replica only at the preferred-leader check. They are not kept in the workspace: on opening,
/// each partition's first live replica leads.
struct OffsetsTopicLeaders {
    /// The brokers the topic was placed over, ascending.
    let brokers: [Int32]
    /// Each partition's replicas, the preferred leader first.
    let replicas: [[Int32]]
    /// Each partition's leader; nil while none of its replicas is alive.
    private(set) var leaders: [Int32?]

    /// The topic placed over `brokers`, each partition led by its first live replica.
    init(brokers: [Int32], isAlive: (Int32) -> Bool) {
        self.brokers = brokers
        replicas = OffsetsTopic.replicas(brokers: brokers)
        leaders = replicas.map { $0.first(where: isAlive) }
    }

    /// The leader of group `groupId`'s partition.
    func leader(forGroup groupId: String) -> Int32? {
        leaders[Int(OffsetsTopic.partition(forGroup: groupId))]
    }

    /// A broker went down: each partition it led moves to its next live replica, or has none.
    mutating func remove(_ broker: Int32, isAlive: (Int32) -> Bool) {
        for index in leaders.indices where leaders[index] == broker {
            leaders[index] = replicas[index].first(where: isAlive)
        }
    }

    /// A broker started: each partition with no leader is led by its first live replica (the
    /// broker that came back, if it hosts it); a partition with a leader keeps it.
    mutating func rejoin(isAlive: (Int32) -> Bool) {
        for index in leaders.indices where leaders[index] == nil {
            leaders[index] = replicas[index].first(where: isAlive)
        }
    }

    /// How many partitions prefer `broker`, and how many of those another broker leads: what
    /// the preferred-leader check counts, with the data partitions, as Kafka's controller counts
    /// every partition of a broker, this topic's too.
    func share(of broker: Int32) -> (preferred: Int, elsewhere: Int) {
        let preferred = replicas.indices.filter { replicas[$0].first == broker }
        return (preferred.count, preferred.filter { leaders[$0] != broker }.count)
    }

    /// Gives each partition whose preferred replica is one of `brokers`, and alive, back to it.
    mutating func electPreferred(for brokers: Set<Int32>, isAlive: (Int32) -> Bool) {
        for index in leaders.indices {
            let preferred = replicas[index][0]
            if brokers.contains(preferred) && isAlive(preferred) { leaders[index] = preferred }
        }
    }
}
