// TEMPORARY: stands in for the cluster API until it lands on main; removed at that merge.
import EventLabCore
import EventLabStorage

extension Workspace {
    func makeCluster(newBrokers: Int) throws(BrokerError) -> DiskStorage { try makeStorage() }
}

extension Broker {
    convenience init(cluster: sending DiskStorage, clock: any BrokerClock, ids: any IdSource) throws(BrokerError) {
        try self.init(storage: cluster, clock: clock, ids: ids)
    }

    func createTopic(_ name: String, partitions: Int, replicationFactor: Int, config: TopicConfig) throws(BrokerError) {
        try createTopic(name, partitions: partitions, config: config)
    }
}
