/// How many replicas must have a record before its producer hears that it is written: Kafka's
/// `acks`. Java clients default to `all` since Kafka 3.0, and so does `publish`.
public enum Acks: String, Sendable, CaseIterable {
    /// `acks=0`: the producer does not wait at all.
    case none = "0"
    /// `acks=1`: the leader has appended it.
    case leader = "1"
    /// `acks=all` (`-1`): every replica in the in-sync set has it, so the high watermark passed it.
    case all
}

/// Whether a broker of the cluster runs, and how it stopped if it does not.
public enum BrokerCondition: String, Sendable, Equatable {
    /// Up: it leads, follows and fetches.
    case running
    /// Up and still registered with the controller, but its replica fetchers stand still, so
    /// its followers fall behind (`broker pause`).
    case paused
    /// Shut down cleanly: its leadership moved away first (`broker stop`).
    case stopped
    /// Its process crashed: what it wrote is still in the page cache (`broker kill`).
    case killed
    /// Its machine lost power: what it had not flushed is gone (`broker kill --power`).
    case poweredOff = "powered off"

    /// Whether the broker is alive: registered with the controller, leading and serving.
    public var isAlive: Bool { self == .running || self == .paused }
}

/// One broker as `show cluster` draws it.
public struct BrokerDescription: Sendable, Equatable {
    /// Its `broker.id`.
    public var id: Int32
    /// Whether it runs.
    public var condition: BrokerCondition
    /// How many partitions it leads, internal topics excluded.
    public var leads: Int
    /// How many partition replicas it hosts, internal topics excluded.
    public var replicas: Int

    /// A broker with the given parts.
    public init(id: Int32, condition: BrokerCondition, leads: Int, replicas: Int) {
        self.id = id
        self.condition = condition
        self.leads = leads
        self.replicas = replicas
    }
}

/// The cluster as the controller sees it: what `show cluster` draws.
public struct ClusterDescription: Sendable, Equatable {
    /// Every broker, by id.
    public var brokers: [BrokerDescription]
    /// The controller: the broker that elects leaders (the lowest live id here; nil with no
    /// broker alive).
    public var controller: Int32?
    /// How many times the controller changed: Kafka's controller epoch.
    public var controllerEpoch: Int32
    /// Partitions whose in-sync set is smaller than their replica set, by topic and partition.
    public var underReplicated: [TopicPartition]
    /// Partitions with no leader: no replica of their in-sync set is alive.
    public var offline: [TopicPartition]

    /// A description with the given parts.
    public init(brokers: [BrokerDescription], controller: Int32?, controllerEpoch: Int32, underReplicated: [TopicPartition], offline: [TopicPartition]) {
        self.brokers = brokers
        self.controller = controller
        self.controllerEpoch = controllerEpoch
        self.underReplicated = underReplicated
        self.offline = offline
    }
}
