// TEMPORARY: stands in for the cluster API until it lands on main; removed at that merge.
import EventLabCore
import EventLabStorage

final class MemoryCluster {
    init(brokers: Int) {}
}

extension Workspace {
    func makeCluster(newBrokers: Int) throws(BrokerError) -> MemoryCluster { MemoryCluster(brokers: newBrokers) }
}

extension Broker {
    convenience init(
        cluster: MemoryCluster, clock: any BrokerClock, timer: any MonotonicTimer, ids: any IdSource, random: SeededRandom,
        config: BrokerConfig, waker: (any Waker)?
    ) throws(BrokerError) {
        try self.init(storage: MemoryStorage(), clock: clock, timer: timer, ids: ids, random: random, config: config, waker: waker)
    }

    func createTopic(_ name: String, partitions: Int, replicationFactor: Int, config: TopicConfig) throws(BrokerError) {
        try createTopic(name, partitions: partitions, config: TopicConfig())
    }

    func publish(_ topic: String, _ records: [ProducerRecord], acks: Acks) throws(BrokerError) -> [RecordPosition] {
        try publish(topic, records, unkeyed: .sticky)
    }
}
