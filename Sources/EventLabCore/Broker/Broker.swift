import Synchronization

/// The embedded broker: topics, partitions, records and consumer groups behind one lock.
///
/// Safe to call from any thread — the REPL's main thread and the network server's event loops —
/// because all state sits in one `Mutex`. Time comes only from the injected clock (record
/// timestamps, retention, compaction) and the monotonic timer (group sessions); member ids come
/// from the injected id source and the sticky partitioner's choices from the injected seeded
/// random source; so the same calls give the same answers.
public final class Broker: Sendable {
    /// Wall-clock time for records, retention and compaction.
    public let clock: any BrokerClock
    /// Elapsed time for group session and rebalance timeouts, and fetch waits.
    public let timer: any MonotonicTimer
    /// The broker's own settings, fixed at start.
    public let config: BrokerConfig
    /// The broker's timed work, on the broker clock and on real time.
    public let scheduler: Scheduler
    /// What background work did, for whoever watches the broker.
    public let notices = NoticeBoard()
    let state: Mutex<BrokerState>
    /// Runs group expiry when the next member session or rebalance runs out.
    let groupAlarm: Alarm
    /// Whether followers fetch as soon as their leader appends, or only when asked.
    let pace = Atomic(ReplicationPace.continuous.rawValue)
    /// Called after each change to the cluster's brokers (``whenBrokersChange(_:)``).
    let brokerWatchers = Mutex<[@Sendable () -> Void]>([])
    /// Where committed offsets are written, outside the lock.
    let offsetsStorage: any CommittedOffsetsStorage

    /// A broker over `storage` — a cluster of one, broker 1 — with the topics and committed
    /// offsets it already holds; see ``init(cluster:clock:timer:ids:random:config:waker:)``.
    ///
    /// - Throws: what the storage throws while loading.
    public convenience init(
        storage: sending any LogStorage = MemoryStorage(), clock: any BrokerClock = LogicalClock(),
        timer: any MonotonicTimer = SystemMonotonicTimer(), ids: any IdSource = SeededIdSource(),
        random: SeededRandom = SeededRandom(), config: BrokerConfig = BrokerConfig(), waker: (any Waker)? = DispatchWaker()
    ) throws(BrokerError) {
        try self.init(cluster: SingleStorageCluster(storage), clock: clock, timer: timer, ids: ids, random: random, config: config, waker: waker)
    }

    /// A cluster over `cluster` — each broker's copies of its partitions, the controller's image
    /// and the committed offsets it already holds — with time from `clock` and `timer`, member
    /// ids from `ids`, the sticky partitioner's choices from `random` and its own settings from
    /// `config`; `waker` runs timed work in the background (nil: only explicit calls on
    /// ``scheduler`` run it). The retention check, the log cleaner's pass and the offsets
    /// retention check are scheduled on the broker clock at once, and with more than one broker
    /// the ISR check and the preferred-leader check too.
    ///
    /// - Throws: what the storage throws while loading.
    public init(
        cluster: sending any ClusterStorage, clock: any BrokerClock = LogicalClock(),
        timer: any MonotonicTimer = SystemMonotonicTimer(), ids: any IdSource = SeededIdSource(),
        random: SeededRandom = SeededRandom(), config: BrokerConfig = BrokerConfig(), waker: (any Waker)? = DispatchWaker()
    ) throws(BrokerError) {
        self.clock = clock
        self.timer = timer
        self.scheduler = Scheduler(clock: clock, timer: timer, waker: waker)
        self.config = config
        self.groupAlarm = Alarm(scheduler: scheduler, label: "group session and rebalance timeouts")
        var coordinator = GroupCoordinator(ids: ids)
        offsetsStorage = cluster.committedOffsets
        let opened = clock.now()
        let stored = try offsetsStorage.load()
        // Offsets from a file older than commit timestamps count as committed now, and a group
        // that had members when the broker stopped lost them now.
        coordinator.restore(stored.mapValues { group in
            group.offsets.mapValues { CommittedOffset(offset: $0.offset, metadata: $0.metadata, commitTimestamp: $0.commitTimestamp ?? opened) }
        })
        let presence = stored.filter { !$0.value.offsets.isEmpty }.compactMapValues { group -> GroupPresence? in
            switch group.presence {
            case .neverHadMembers: nil
            case .hasMembers: .emptySince(opened)
            case .emptySince(let time): .emptySince(time)
            }
        }
        let loaded = try ClusterLoader.load(cluster, now: opened)
        let replicated = loaded.nodes.count > 1
        let offsetsTopic = OffsetsTopicLeaders(
            brokers: loaded.image?.offsetsTopicBrokers ?? loaded.nodes.keys.sorted(), isAlive: { loaded.nodes[$0]?.condition.isAlive ?? false })
        var state = BrokerState(cluster: cluster, nodes: loaded.nodes, topics: loaded.topics, offsetsTopic: offsetsTopic, coordinator: coordinator)
        state.unavailable = loaded.unavailable
        state.image = loaded.image
        state.random = random
        state.presence = presence
        self.state = Mutex(state)
        scheduleCleaning()
        scheduleOffsetsRetention()
        if replicated { scheduleReplicationChecks() }
    }
}

extension Broker {
    /// Cancels the broker's timed work and shuts its storage down cleanly (on disk: syncs and
    /// marks a clean shutdown, so the next start reads indexes instead of scanning). The broker
    /// is not used afterwards.
    public func close() throws(BrokerError) {
        scheduler.stop()
        try state.withLock { state throws(BrokerError) in
            state.isClosed = true
            try state.cluster.close()
        }
    }
}

/// Everything the broker's lock guards.
struct BrokerState: ~Copyable {
    /// Where everything is kept: each broker's storage, the controller's image, the offsets.
    var cluster: any ClusterStorage
    /// Each broker: its storage and whether it runs.
    var nodes: [Int32: BrokerNode]
    /// The controller's image as last saved, or nil while none was ever needed (one broker,
    /// running, holding everything).
    var image: ClusterImage?
    /// `__consumer_offsets`: the brokers it was placed over — those of the cluster when it was
    /// created, or, for a workspace whose image did not keep them, when it was opened; adding a
    /// broker never changes them — and who leads each partition (not kept: on opening, its
    /// first live replica).
    var offsetsTopic: OffsetsTopicLeaders
    /// acks=all writes that a command saw waiting, to announce when they are acknowledged.
    var waitingAcks: [WaitingAck] = []
    /// acks=all writes network producers wait on (``Broker/whenAcknowledged(_:partition:through:leaderEpoch:timeoutMs:_:)``).
    var ackWaiters = AckWaiters()
    var topics: [TopicName: TopicState]
    var coordinator: GroupCoordinator
    var waiters = Waiters()
    /// Partitions with a batch waiting for its sync outside the lock, and the appends queued
    /// behind it: one append at a time per partition, so each is written where the last ended.
    var syncing = Turns<TopicPartition>()
    /// Groups whose committed offsets are being written outside the lock, and the calls that
    /// change their offsets queued behind: the file never gets an earlier commit after a later.
    var savingOffsets = Turns<String>()
    /// Groups that have had members: whether they still do, or since when (broker clock) they
    /// have none. A group not here never had members. See ``GroupPresence``.
    var presence: [String: GroupPresence] = [:]
    var pendingGroupReplies: [ReplyTicket: PendingReply] = [:]
    var nextTicket: UInt64 = 0
    var nextProducerId: Int64 = 0
    /// Topics that could not be opened, with why: every call that names one gets that error.
    var unavailable: [TopicName: BrokerError] = [:]
    /// Set by `close`: a cleaning the waker began just before must not touch closed storage.
    var isClosed = false
    /// Where the sticky partitioner's random choices come from.
    var random = SeededRandom()
    /// Partitions whose scheduled cleaning met damage, and the error it reported.
    var uncleanable: [TopicPartition: BrokerError] = [:]
    /// Called by each compaction between writing its segments and swapping them in (tests).
    var compactionWillSwap: (@Sendable (TopicPartition) -> Void)?

    init(
        cluster: any ClusterStorage, nodes: [Int32: BrokerNode], topics: [TopicName: TopicState], offsetsTopic: OffsetsTopicLeaders,
        coordinator: GroupCoordinator
    ) {
        self.cluster = cluster
        self.nodes = nodes
        self.topics = topics
        self.offsetsTopic = offsetsTopic
        self.coordinator = coordinator
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

    /// Partition `index` of topic `name`, and its leader's log.
    ///
    /// - Throws: what ``replicated(_:_:)`` throws; `LEADER_NOT_AVAILABLE` while no in-sync
    ///   replica is alive to lead it.
    func partition(_ name: String, _ index: Int32) throws(BrokerError) -> (TopicState, PartitionLog) {
        let (topic, partition) = try leading(name, index)
        return (topic, partition.log)
    }

    /// Partition `index` of topic `name`, with all its replicas, while it has a leader.
    ///
    /// - Throws: what ``partition(_:_:)`` throws.
    func leading(_ name: String, _ index: Int32) throws(BrokerError) -> (TopicState, ReplicatedPartition) {
        let (topic, partition) = try replicated(name, index)
        guard partition.leader != nil else { throw .offline(partition) }
        return (topic, partition)
    }

    /// Partition `index` of topic `name`, with all its replicas.
    ///
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION`, or what ``topic(_:)`` throws.
    func replicated(_ name: String, _ index: Int32) throws(BrokerError) -> (TopicState, ReplicatedPartition) {
        let (_, topic) = try topic(name)
        guard index >= 0, Int(index) < topic.partitions.count else {
            throw .unknownPartition(name, index, count: topic.partitions.count)
        }
        return (topic, topic.partitions[Int(index)])
    }
}

/// One topic's configuration, partitions (each copy with its idempotent producers) and unkeyed
/// records' partitioner.
struct TopicState {
    var config: TopicConfig
    var partitions: [ReplicatedPartition]
    var partitioner = Partitioner()
}

/// A parked group call's way back to its caller.
enum PendingReply {
    case join(@Sendable (JoinGroupResponse) -> Void)
    case sync(@Sendable (SyncGroupResponse) -> Void)
}
