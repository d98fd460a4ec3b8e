/// What `topic describe` shows about one partition.
public struct PartitionDescription: Hashable, Sendable {
    /// The partition's index.
    public var index: Int32
    /// The first offset a consumer may read.
    public var logStartOffset: Int64
    /// The offset the next record will get.
    public var logEndOffset: Int64
    /// Oldest first; the last one is active.
    public var segments: [SegmentInfo]
    /// The first offset compaction has not cleaned yet.
    public var cleanerCheckpoint: Int64 = 0
    /// The broker that leads it, or nil while it is offline.
    public var leader: Int32? = 1
    /// Its leader epoch: how many times its leadership moved.
    public var leaderEpoch: Int32 = 0
    /// The brokers holding a copy, in assignment order: the first is the preferred leader.
    public var replicas: [Int32] = [1]
    /// The in-sync replicas, in assignment order.
    public var isr: [Int32] = [1]
    /// The high watermark: the offset below which every in-sync replica has the records, and
    /// consumers read.
    public var highWatermark: Int64 = 0
    /// Each replica's own log-end offset, by broker id.
    public var replicaEnds: [Int32: Int64] = [:]
}

/// What `topic describe` shows about a topic.
public struct TopicDescription: Hashable, Sendable {
    /// The topic's name.
    public var name: String
    /// The topic's configuration.
    public var config: TopicConfig
    /// Every partition, by index.
    public var partitions: [PartitionDescription]
}

extension TopicState {
    func describe(_ name: TopicName) -> TopicDescription {
        TopicDescription(
            name: name.rawValue, config: config,
            partitions: partitions.enumerated().map { index, partition in
                let log = partition.log
                return PartitionDescription(
                    index: Int32(index), logStartOffset: log.logStartOffset,
                    logEndOffset: log.logEndOffset, segments: log.segments, cleanerCheckpoint: log.storage.cleanerCheckpoint,
                    leader: partition.leader, leaderEpoch: partition.leaderEpoch, replicas: partition.replicas, isr: partition.isr,
                    highWatermark: partition.highWatermark, replicaEnds: partition.replicaEnds)
            })
    }
}

extension Broker {
    /// The most partitions a topic may have here: enough for any lesson, small enough to draw.
    public static let maxPartitions = 1000

    /// Creates a topic with `partitions` empty partitions, each with `replicationFactor`
    /// replicas (nil: ``defaultReplicationFactor``) placed as Kafka places them (see
    /// ``ReplicaAssignment``), on the brokers alive now.
    ///
    /// - Throws: `INVALID_TOPIC_EXCEPTION` (an illegal name, or one equal to an existing topic's
    ///   once `.` and `_` count as the same), `TOPIC_ALREADY_EXISTS`, `INVALID_PARTITIONS`
    ///   (1…1000 allowed), `INVALID_REPLICATION_FACTOR` (more than the live brokers) or
    ///   `INVALID_CONFIG`; nothing is created then.
    @discardableResult
    public func createTopic(
        _ name: String, partitions: Int, replicationFactor: Int? = nil, config: TopicConfig = TopicConfig()
    ) throws(BrokerError) -> TopicDescription {
        let topicName = try TopicName(name)
        try Self.checkNotInternal(name)
        try Self.checkPartitionCount(partitions)
        try config.validate()
        let now = clock.now()
        return try state.withLock { state throws(BrokerError) in
            guard state.topics[topicName] == nil, state.unavailable[topicName] == nil else {
                throw BrokerError(.topicAlreadyExists, "topic '\(name)' already exists: pick another name, `topic alter \(name)` to change its partitions or configs, or `topic delete \(name)` first")
            }
            let existing = Array(state.topics.keys) + Array(state.unavailable.keys)
            if let other = existing.filter({ $0.collisionKey == topicName.collisionKey }).min() {
                throw BrokerError(
                    .invalidTopic,
                    "topic '\(name)' collides with existing topic '\(other)': Kafka treats '.' and '_' in topic names as equal (its metric names cannot tell them apart), so pick a name that differs elsewhere")
            }
            let alive = state.nodes.keys.sorted().filter { state.nodes[$0]!.condition.isAlive }
            let factor = replicationFactor ?? min(3, alive.count)
            guard (1...max(1, alive.count)).contains(factor), !alive.isEmpty else {
                throw BrokerError(
                    .invalidReplicationFactor,
                    "replication factor \(factor) is not possible: \(alive.count) of the \(state.nodes.count) brokers are alive, and each replica needs its own broker; give 1 to \(alive.count)")
            }
            let (start, shift) = ReplicaAssignment.seeds(for: name, brokers: alive.count)
            let assignment = ReplicaAssignment.assign(partitions: partitions, replicationFactor: factor, brokers: alive, start: start, shift: shift)
            let copies = try state.createCopies(topicName, config: config, count: partitions, first: 0, assignment: assignment)
            let topic = TopicState(config: config, partitions: assignment.enumerated().map { index, replicas in
                ReplicatedPartition(TopicPartition(name, Int32(index)), replicas: replicas, copies: copies[index], now: now)
            })
            state.topics[topicName] = topic
            do throws(BrokerError) {
                try state.saveImage(changingController: false)
            } catch {
                state.topics[topicName] = nil
                try? state.removeCopies(topicName)
                throw error
            }
            return topic.describe(topicName)
        }
    }

    /// Kafka's internal topics: committed offsets and group metadata, and transaction state.
    static let internalTopics: Set<String> = ["__consumer_offsets", "__transaction_state"]

    /// Checks that `name` is not one of Kafka's internal topics, which only the brokers write.
    ///
    /// - Throws: `INVALID_TOPIC_EXCEPTION`, as Kafka refuses a client's write to one.
    static func checkNotInternal(_ name: String) throws(BrokerError) {
        guard internalTopics.contains(name) else { return }
        throw BrokerError(
            .invalidTopic,
            "'\(name)' is one of Kafka's internal topics, which only its brokers write; EventLab keeps committed offsets in the workspace instead, so pick another name")
    }

    /// Checks that a topic may have `count` partitions, as creating or growing one does.
    ///
    /// - Throws: `INVALID_PARTITIONS` outside 1 to ``maxPartitions``.
    public static func checkPartitionCount(_ count: Int) throws(BrokerError) {
        guard (1...maxPartitions).contains(count) else {
            throw BrokerError(.invalidPartitions, "a topic needs 1 to \(maxPartitions) partitions, not \(count)")
        }
    }

    /// Deletes a topic, its records and every group's offsets on it; returns the groups, in
    /// name order, that had offsets on it.
    ///
    /// - Throws: `UNKNOWN_TOPIC_OR_PARTITION` if there is no such topic.
    @discardableResult
    public func deleteTopic(_ name: String) throws(BrokerError) -> [String] {
        // Batches and commits being written outside the lock finish first: the deletion then
        // takes everything they wrote away with the topic.
        let busy = { (state: inout BrokerState) in state.savingOffsets.waitForAny() ?? state.syncing.waitForAny { $0.topic == name } }
        let (callbacks, changed) = try waitingForTurns(busy) { state throws(BrokerError) in
            if let offline = try? TopicName(name), state.unavailable[offline] != nil {
                try state.removeCopies(offline)
                state.unavailable[offline] = nil
                return ([@Sendable () -> Void](), [String]())
            }
            let (topicName, _) = try state.topic(name)
            var coordinator = state.coordinator
            let changedGroups = coordinator.removeOffsets(topic: name)
            for group in changedGroups {
                try offsetsStorage.save(state.stored(coordinator.committedOffsets(groupId: group), group: group), group: group)
            }
            try state.removeCopies(topicName)
            state.topics[topicName] = nil
            state.waitingAcks.removeAll { $0.partition.topic == name }
            try? state.saveImage(changingController: false)
            state.uncleanable = state.uncleanable.filter { $0.key.topic != topicName.rawValue }
            state.coordinator = coordinator
            _ = state.notePresence(of: changedGroups, now: clock.now())
            return (state.waiters.takeData(topic: name) + state.waiters.takeAllGroups() + state.settleAcknowledgements(), changedGroups)
        }
        callbacks.forEach { $0() }
        return changed
    }

    /// Every topic, in name order.
    public func topics() -> [TopicDescription] {
        state.withLock { state in
            state.topics.keys.sorted().map { state.topics[$0]!.describe($0) }
        }
    }

    /// Topics whose files could not be opened, by name, with the error any call naming them
    /// gets: what is damaged and where.
    public func unavailableTopics() -> [(name: String, error: BrokerError)] {
        state.withLock { state in
            state.unavailable.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .unavailableTopic($0.key.rawValue, $0.value)) }
        }
    }

    /// One topic's configuration, partitions, offsets and segments.
    public func describeTopic(_ name: String) throws(BrokerError) -> TopicDescription {
        try state.withLock { state throws(BrokerError) in
            let (topicName, topic) = try state.topic(name)
            return topic.describe(topicName)
        }
    }

    /// Replaces a topic's configuration; it applies to the next append, roll and cleaning.
    public func alterTopic(_ name: String, config: TopicConfig) throws(BrokerError) {
        try config.validate()
        try state.withLock { state throws(BrokerError) in
            let (topicName, _) = try state.topic(name)
            try state.saveConfig(config, for: topicName)
            state.topics[topicName]!.config = config
        }
    }

    /// Grows a topic to `count` partitions. As in Kafka, partitions are never removed, and keys
    /// may map to other partitions afterwards.
    ///
    /// - Throws: `INVALID_PARTITIONS` unless `count` is more than the current count.
    public func addPartitions(_ name: String, to count: Int) throws(BrokerError) {
        try Self.checkPartitionCount(count)
        let now = clock.now()
        try state.withLock { state throws(BrokerError) in
            let (topicName, topic) = try state.topic(name)
            guard count > topic.partitions.count else {
                throw BrokerError(
                    .invalidPartitions,
                    "topic '\(name)' already has \(topic.partitions.count) partitions; partitions can be added but never removed, so ask for more than \(topic.partitions.count)")
            }
            if let moving = topic.partitions.first(where: { $0.reassignment != nil }) {
                throw BrokerError(
                    .reassignmentInProgress,
                    "\(name) p\(moving.id.partition) is being reassigned: partitions can be added once its new replicas are in sync")
            }
            let existing = topic.partitions.count
            let brokers = state.nodes.keys.sorted().filter { state.nodes[$0]!.condition.isAlive }
            let factor = topic.partitions[0].replicas.count
            guard factor <= brokers.count else {
                throw BrokerError(
                    .invalidReplicationFactor,
                    "the new partitions need \(factor) replicas each, as the topic's others have, but only \(brokers.count) brokers are alive")
            }
            // As kafka-topics --alter: start where partition 0's first replica is.
            let start = brokers.firstIndex(of: topic.partitions[0].replicas[0]) ?? 0
            let assignment = ReplicaAssignment.assign(
                partitions: count - existing, from: existing, replicationFactor: factor, brokers: brokers, start: start, shift: start)
            let copies = try state.createCopies(topicName, config: topic.config, count: count, first: existing, assignment: assignment)
            state.topics[topicName]!.partitions += assignment.enumerated().map { offset, replicas in
                ReplicatedPartition(TopicPartition(name, Int32(existing + offset)), replicas: replicas, copies: copies[offset], now: now)
            }
            try? state.saveImage(changingController: false)
        }
    }
}

extension BrokerState {
    /// Creates each broker's copies of partitions `first…` of a topic with `count` partitions in
    /// all, as `assignment` places them (one list per new partition), all or nothing.
    ///
    /// - Returns: per new partition, each replica's log.
    mutating func createCopies(
        _ name: TopicName, config: TopicConfig, count: Int, first: Int, assignment: [[Int32]]
    ) throws(BrokerError) -> [[Int32: PartitionLog]] {
        var copies = [[Int32: PartitionLog]](repeating: [:], count: assignment.count)
        var done: [Int32] = []
        for broker in nodes.keys.sorted() {
            let hosted = assignment.indices.filter { assignment[$0].contains(broker) }
            guard !hosted.isEmpty else { continue }
            let storage = nodes[broker]!.storage
            do throws(BrokerError) {
                let created = first == 0
                    ? try storage.createTopic(name, config: config, partitions: count, hosting: hosted)
                    : try storage.addPartitions(name, config: config, indexes: first..<count, hosting: hosted.map { first + $0 })
                for (index, partition) in zip(hosted, created) { copies[index][broker] = PartitionLog(storage: partition) }
                done.append(broker)
            } catch {
                // All or nothing: what the other brokers created goes again.
                if first == 0 { for created in done { try? nodes[created]!.storage.removeTopic(name) } }
                throw error
            }
        }
        return copies
    }

    /// Removes every broker's copies of topic `name`.
    ///
    /// - Throws: the first broker's error, when none could remove it.
    mutating func removeCopies(_ name: TopicName) throws(BrokerError) {
        let hosts = topics[name].map { topic in Set(topic.partitions.flatMap(\.replicas)) }
        var failure: BrokerError?
        var removed = false
        for broker in nodes.keys.sorted() where hosts?.contains(broker) ?? true {
            do throws(BrokerError) {
                try nodes[broker]!.storage.removeTopic(name)
                removed = true
            } catch {
                failure = failure ?? error
            }
        }
        if let failure, !removed || hosts != nil { throw failure }
    }

    /// Keeps a topic's new configuration on every broker holding a copy of it.
    func saveConfig(_ config: TopicConfig, for name: TopicName) throws(BrokerError) {
        let hosts = Set(topics[name]?.partitions.flatMap(\.replicas) ?? [])
        for broker in nodes.keys.sorted() where hosts.contains(broker) {
            try nodes[broker]!.storage.saveConfig(config, for: name)
        }
    }
}
