// Stubs: the cluster API as the shell and tests will call it; replication lands behind it.
extension Broker {
    /// The ids of the cluster's brokers, ascending.
    public var brokerIds: [Int32] { [1] }

    /// EventLab's default replication factor for a new topic: min(3, brokers). Kafka's own
    /// `default.replication.factor` is 1.
    public var defaultReplicationFactor: Int { min(3, brokerIds.count) }

    /// The cluster as the controller sees it.
    public func cluster() -> ClusterDescription {
        ClusterDescription(
            brokers: [BrokerDescription(id: 1, condition: .running, leads: 0, replicas: 0)], controller: 1, controllerEpoch: 1,
            underReplicated: [], offline: [])
    }

    /// Adds a broker with the next id; it hosts nothing until partitions are reassigned to it.
    public func addBroker() throws(BrokerError) -> Int32 { throw BrokerError(.invalidRequest, "not yet") }

    /// Shuts broker `id` down cleanly: leadership moves to in-sync replicas first.
    public func stopBroker(_ id: Int32) throws(BrokerError) -> [ClusterEvent] { throw BrokerError(.invalidRequest, "not yet") }

    /// Crashes broker `id`'s process (`powerLoss`: its machine loses power, and what it had not
    /// flushed is gone).
    public func killBroker(_ id: Int32, powerLoss: Bool = false) throws(BrokerError) -> [ClusterEvent] { throw BrokerError(.invalidRequest, "not yet") }

    /// Starts broker `id` again: its replicas truncate to their leaders and catch up.
    public func startBroker(_ id: Int32) throws(BrokerError) -> [ClusterEvent] { throw BrokerError(.invalidRequest, "not yet") }

    /// Stops broker `id`'s replica fetchers; it stays registered, so only falling behind takes
    /// it out of in-sync sets.
    public func pauseBroker(_ id: Int32) throws(BrokerError) { throw BrokerError(.invalidRequest, "not yet") }

    /// Starts broker `id`'s replica fetchers again.
    public func resumeBroker(_ id: Int32) throws(BrokerError) -> [ClusterEvent] { throw BrokerError(.invalidRequest, "not yet") }

    /// Runs follower fetches until no running follower has anything left to fetch.
    public func settleReplication() -> [ReplicaFetch] { [] }

    /// Runs one follower fetch that has something to copy, if any: what `step` does under
    /// `flow manual`.
    public func stepReplication() -> ReplicaFetch? { nil }

    /// Where an acks=all write of `partition` of `topic` up to `offset` stands.
    public func acknowledgement(_ topic: String, partition: Int32, through offset: Int64) -> Acknowledgement {
        .acknowledged(replicas: [1])
    }
}
