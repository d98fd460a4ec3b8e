import Synchronization

/// The embedded broker: topics, partitions, records and consumer groups behind one lock.
///
/// Safe to call from any thread — the REPL's main thread and the network server's event loops —
/// because all state sits in one `Mutex`. Time comes only from the injected clock (record
/// timestamps, retention, compaction) and the monotonic timer (group sessions); member ids come
/// from the injected id source; so the same calls give the same answers.
public final class Broker: Sendable {
    /// Wall-clock time for records, retention and compaction.
    public let clock: any BrokerClock
    /// Elapsed time for group session and rebalance timeouts.
    public let timer: any MonotonicTimer
    /// How often, by the broker clock, scheduled retention and compaction run.
    public let maintenanceIntervalMs: Int64
    let state: Mutex<BrokerState>

    /// A broker over `storage` — with the topics and committed offsets it already holds — with
    /// time from `clock` and `timer` and member ids from `ids`.
    ///
    /// - Throws: what the storage throws while loading.
    public init(
        storage: sending any LogStorage = MemoryStorage(), clock: any BrokerClock = LogicalClock(),
        timer: any MonotonicTimer = SystemMonotonicTimer(), ids: any IdSource = SeededIdSource(),
        maintenanceIntervalMs: Int64 = 300_000
    ) throws(BrokerError) {
        self.clock = clock
        self.timer = timer
        self.maintenanceIntervalMs = maintenanceIntervalMs
        var coordinator = GroupCoordinator(ids: ids)
        coordinator.restore(try storage.loadCommittedOffsets())
        var topics: [TopicName: TopicState] = [:]
        let loaded = try storage.loadTopics()
        for stored in loaded.topics {
            topics[stored.name] = TopicState(config: stored.config, partitions: stored.partitions.map(PartitionLog.init))
        }
        var state = BrokerState(
            storage: storage, topics: topics, coordinator: coordinator,
            nextMaintenance: clock.now().addingSaturating(maintenanceIntervalMs))
        state.unavailable = loaded.unavailable
        self.state = Mutex(state)
    }
}

extension Broker {
    /// Shuts the broker's storage down cleanly (on disk: syncs and marks a clean shutdown, so
    /// the next start reads indexes instead of scanning). The broker is not used afterwards.
    public func close() throws(BrokerError) {
        try state.withLock { state throws(BrokerError) in try state.storage.close() }
    }
}

/// Everything the broker's lock guards.
struct BrokerState: ~Copyable {
    var storage: any LogStorage
    var topics: [TopicName: TopicState]
    var coordinator: GroupCoordinator
    var waiters = Waiters()
    var pendingGroupReplies: [ReplyTicket: PendingReply] = [:]
    var nextTicket: UInt64 = 0
    var nextMaintenance: Int64
    var nextProducerId: Int64 = 0
    /// Topics that could not be opened, with why: every call that names one gets that error.
    var unavailable: [TopicName: BrokerError] = [:]
    /// Partitions whose scheduled cleaning met damage, and the error it reported.
    var uncleanable: [TopicPartition: BrokerError] = [:]
    /// Called by each compaction between writing its segments and swapping them in (tests).
    var compactionWillSwap: (@Sendable (TopicPartition) -> Void)?

    init(storage: any LogStorage, topics: [TopicName: TopicState], coordinator: GroupCoordinator, nextMaintenance: Int64) {
        self.storage = storage
        self.topics = topics
        self.coordinator = coordinator
        self.nextMaintenance = nextMaintenance
    }

    /// The topic called `name`.
    ///
    /// - Throws: `INVALID_TOPIC_EXCEPTION` for an illegal name; `UNKNOWN_TOPIC_OR_PARTITION`
    ///   naming the topics that do exist.
    func topic(_ name: String) throws(BrokerError) -> (TopicName, TopicState) {
        let topicName = try TopicName(name)
        if let error = unavailable[topicName] { throw .unavailableTopic(name, error) }
        guard let topic = topics[topicName] else {
            throw .unknownTopic(name, known: topics.keys.sorted().map(\.rawValue))
        }
        return (topicName, topic)
    }

    /// Partition `index` of topic `name`.
    func partition(_ name: String, _ index: Int32) throws(BrokerError) -> (TopicState, PartitionLog) {
        let (_, topic) = try topic(name)
        guard index >= 0, Int(index) < topic.partitions.count else {
            throw .unknownPartition(name, index, count: topic.partitions.count)
        }
        return (topic, topic.partitions[Int(index)])
    }
}

/// One topic's configuration, partitions, round-robin turn and idempotent producers.
struct TopicState {
    var config: TopicConfig
    var partitions: [PartitionLog]
    var partitioner = Partitioner()
    /// Per partition index, what its idempotent producers last wrote.
    var producers: [Int32: ProducerState] = [:]
}

/// A parked group call's way back to its caller.
enum PendingReply {
    case join(@Sendable (JoinGroupResponse) -> Void)
    case sync(@Sendable (SyncGroupResponse) -> Void)
}
