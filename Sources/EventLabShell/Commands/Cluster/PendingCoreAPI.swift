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
