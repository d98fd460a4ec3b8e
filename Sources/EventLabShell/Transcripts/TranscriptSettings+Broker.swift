import EventLabCore

extension TranscriptSettings {
    /// A broker on `storage` with these settings' clock (starting at `logicalTime` when given, as a
    /// reopened workspace resumes its clock) and broker configs.
    public func makeBroker(
        storage: sending any LogStorage, logicalTime: Int64? = nil
    ) throws -> (Broker, LogicalClock?) {
        let config = try brokerConfig()
        let (clock, logicalClock, ids) = clocks(logicalTime: logicalTime)
        return (try Broker(storage: storage, clock: clock, ids: ids, config: config), logicalClock)
    }

    /// A cluster's broker on `cluster`, with these settings' clock and broker configs as
    /// ``makeBroker(storage:logicalTime:)`` has them.
    public func makeBroker(
        cluster: sending any ClusterStorage, logicalTime: Int64? = nil
    ) throws -> (Broker, LogicalClock?) {
        let config = try brokerConfig()
        let (clock, logicalClock, ids) = clocks(logicalTime: logicalTime)
        return (try Broker(cluster: cluster, clock: clock, ids: ids, config: config), logicalClock)
    }

    /// A broker in memory keeping nothing: a cluster of ``brokers`` (one unless told), to which
    /// `broker add` adds more.
    public func makeMemoryBroker() throws -> (Broker, LogicalClock?) {
        try makeBroker(cluster: MemoryCluster(brokers: brokers))
    }

    private func brokerConfig() throws -> BrokerConfig {
        var config = BrokerConfig()
        for setting in brokerSettings { try config.set(setting) }
        return config
    }

    /// The broker clock, the logical clock when it is one, and member ids: seeded on the
    /// logical clock, so the same commands print the same ids.
    private func clocks(logicalTime: Int64?) -> (any BrokerClock, LogicalClock?, SeededIdSource) {
        switch clock {
        case .logical(let start):
            let clock = LogicalClock(start: logicalTime ?? start)
            return (clock, clock, SeededIdSource(seed: 0))
        case .system:
            return (SystemClock(), nil, SeededIdSource(seed: .random(in: .min ... .max)))
        }
    }
}
