import EventLabCore
import EventLabPatterns

/// What goals read: the broker, and the flows a learner built on it (services, tables,
/// aggregates, commands, projections), as the shell holds them now.
public struct GoalWorld {
    /// The broker whose topics and groups goals read.
    public let broker: Broker
    /// The shell's pattern state, read by goals about services, tables, aggregates, commands
    /// and projections.
    public let flows: Flows

    /// The world of `broker` with `flows`; no flows when none are given.
    public init(broker: Broker, flows: Flows = Flows()) {
        self.broker = broker
        self.flows = flows
    }
}

extension Shell {
    /// What goals read in this shell now: its broker and its flows.
    public var goalWorld: GoalWorld { GoalWorld(broker: broker, flows: flows) }
}
