import EventLabCore

// TEMPORARY: the core's replication API as announced, until it lands on main; removed on merge.
extension Broker {
    func createTopic(_ name: String, partitions: Int, replicationFactor: Int?, config: TopicConfig) throws(BrokerError) -> TopicDescription {
        try createTopic(name, partitions: partitions, config: config)
    }

    func publish(_ topic: String, _ records: [ProducerRecord], unkeyed: UnkeyedPartitioning = .sticky, acks: Acks) throws(BrokerError) -> [RecordPosition] {
        try publish(topic, records, unkeyed: unkeyed)
    }
}

/// TEMPORARY stand-in for the core's memory cluster: one broker's storage.
public final class MemoryCluster: ClusterStorage {
    let storage: any LogStorage
    public init(brokers: Int) { storage = MemoryStorage() }
    init(storage: any LogStorage) { self.storage = storage }
    public func loadBrokers() throws(BrokerError) -> [Int32: any LogStorage] { [1: storage] }
    public func addBroker(_ id: Int32) throws(BrokerError) -> any LogStorage { throw BrokerError(.invalidRequest, "not yet") }
    public func loadImage() throws(BrokerError) -> String? { nil }
    public func saveImage(_ text: String) throws(BrokerError) {}
    public var committedOffsets: any CommittedOffsetsStorage { storage.committedOffsets }
    public func close() throws(BrokerError) { try storage.close() }
}

extension Broker {
    /// TEMPORARY stand-in for the core's cluster init: broker 1's storage alone.
    public convenience init(
        cluster: any ClusterStorage, clock: any BrokerClock = LogicalClock(), ids: any IdSource = SeededIdSource(), config: BrokerConfig = BrokerConfig()
    ) throws(BrokerError) {
        nonisolated(unsafe) let storage = try cluster.loadBrokers()[1]!
        try self.init(storage: storage, clock: clock, ids: ids, config: config)
    }
}
