import EventLabCore

extension TranscriptSettings {
    /// A broker on `storage` with these settings' clock (starting at `logicalTime` when given, as a
    /// reopened workspace resumes its clock) and broker configs.
    public func makeBroker(
        storage: sending any LogStorage, logicalTime: Int64? = nil
    ) throws -> (Broker, LogicalClock?) {
        var config = BrokerConfig()
        for setting in brokerSettings { try config.set(setting) }
        switch clock {
        case .logical(let start):
            let clock = LogicalClock(start: logicalTime ?? start)
            return (try Broker(storage: storage, clock: clock, ids: SeededIdSource(seed: 0), config: config), clock)
        case .system:
            return (try Broker(storage: storage, clock: SystemClock(), ids: SeededIdSource(seed: .random(in: .min ... .max)), config: config), nil)
        }
    }
}
