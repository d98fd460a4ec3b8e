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
            partitions: partitions.enumerated().map { index, log in
                PartitionDescription(
                    index: Int32(index), logStartOffset: log.logStartOffset,
                    logEndOffset: log.logEndOffset, segments: log.segments, cleanerCheckpoint: log.storage.cleanerCheckpoint)
            })
    }
}

extension Broker {
    /// The most partitions a topic may have here: enough for any lesson, small enough to draw.
    public static let maxPartitions = 1000

    /// Creates a topic with `partitions` empty partitions.
    ///
    /// - Throws: `INVALID_TOPIC_EXCEPTION` (an illegal name, or one equal to an existing topic's
    ///   once `.` and `_` count as the same), `TOPIC_ALREADY_EXISTS`, `INVALID_PARTITIONS`
    ///   (1…1000 allowed) or `INVALID_CONFIG`; nothing is created then.
    @discardableResult
    public func createTopic(_ name: String, partitions: Int, config: TopicConfig = TopicConfig()) throws(BrokerError) -> TopicDescription {
        let topicName = try TopicName(name)
        try Self.checkPartitionCount(partitions)
        try config.validate()
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
            let logs = try state.storage.createTopic(topicName, config: config, partitions: partitions).map(PartitionLog.init)
            let topic = TopicState(config: config, partitions: logs)
            state.topics[topicName] = topic
            return topic.describe(topicName)
        }
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
                try state.storage.removeTopic(offline)
                state.unavailable[offline] = nil
                return ([@Sendable () -> Void](), [String]())
            }
            let (topicName, _) = try state.topic(name)
            var coordinator = state.coordinator
            let changedGroups = coordinator.removeOffsets(topic: name)
            for group in changedGroups {
                try offsetsStorage.save(state.stored(coordinator.committedOffsets(groupId: group), group: group), group: group)
            }
            try state.storage.removeTopic(topicName)
            state.topics[topicName] = nil
            state.uncleanable = state.uncleanable.filter { $0.key.topic != topicName.rawValue }
            state.coordinator = coordinator
            _ = state.notePresence(of: changedGroups, now: clock.now())
            return (state.waiters.takeData(topic: name) + state.waiters.takeAllGroups(), changedGroups)
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
            try state.storage.saveConfig(config, for: topicName)
            state.topics[topicName]!.config = config
        }
    }

    /// Grows a topic to `count` partitions. As in Kafka, partitions are never removed, and keys
    /// may map to other partitions afterwards.
    ///
    /// - Throws: `INVALID_PARTITIONS` unless `count` is more than the current count.
    public func addPartitions(_ name: String, to count: Int) throws(BrokerError) {
        try Self.checkPartitionCount(count)
        try state.withLock { state throws(BrokerError) in
            let (topicName, topic) = try state.topic(name)
            guard count > topic.partitions.count else {
                throw BrokerError(
                    .invalidPartitions,
                    "topic '\(name)' already has \(topic.partitions.count) partitions; partitions can be added but never removed, so ask for more than \(topic.partitions.count)")
            }
            let added = try state.storage.addPartitions(topicName, indexes: topic.partitions.count..<count)
            state.topics[topicName]!.partitions += added.map(PartitionLog.init)
        }
    }
}
