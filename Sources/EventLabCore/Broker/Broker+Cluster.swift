extension Broker {
    /// The ids of the cluster's brokers, ascending.
    public var brokerIds: [Int32] { state.withLock { $0.nodes.keys.sorted() } }

    /// EventLab's default replication factor for a new topic: min(3, live brokers), since a new
    /// topic's replicas are placed on live brokers only, as Kafka places them on the registered
    /// ones. Kafka's own `default.replication.factor` is 1.
    public var defaultReplicationFactor: Int {
        state.withLock { state in min(3, state.nodes.values.filter(\.condition.isAlive).count) }
    }

    /// The cluster as the controller sees it.
    public func cluster() -> ClusterDescription {
        state.withLock { state in
            let partitions = state.topics.sorted { $0.key < $1.key }.flatMap { $0.value.partitions }
            let brokers = state.nodes.keys.sorted().map { id in
                BrokerDescription(
                    id: id, condition: state.nodes[id]!.condition,
                    leads: partitions.filter { $0.leader == id }.count, replicas: partitions.filter { $0.replicas.contains(id) }.count)
            }
            return ClusterDescription(
                brokers: brokers, controller: state.controller, controllerEpoch: state.image?.controllerEpoch ?? 1,
                underReplicated: partitions.filter { $0.leader != nil && $0.isr.count < $0.replicas.count }.map(\.id),
                offline: partitions.filter { $0.leader == nil }.map(\.id))
        }
    }

    /// Adds a broker with the next id; it hosts nothing until partitions are reassigned to it
    /// or new topics are created, and coordinates no group (``coordinator(forGroup:)``).
    ///
    /// - Returns: its id.
    public func addBroker() throws(BrokerError) -> Int32 {
        let (id, first) = try state.withLock { state throws(BrokerError) -> (Int32, Bool) in
            let id = (state.nodes.keys.max() ?? 0) + 1
            guard id <= Self.maxBrokers else {
                throw BrokerError(.invalidRequest, "a cluster here has at most \(Self.maxBrokers) brokers")
            }
            let storage = try state.cluster.addBroker(id)
            state.nodes[id] = BrokerNode(storage: storage, condition: .running)
            try state.saveImage(changingController: false)
            return (id, state.nodes.count == 2)
        }
        if first { scheduleReplicationChecks() }
        brokersChanged()
        return id
    }

    /// The most brokers a cluster may have: enough to show anything, few enough to draw.
    public static let maxBrokers: Int32 = 9

    /// Shuts broker `id` down cleanly (controlled shutdown): each partition it leads moves to
    /// another in-sync replica first, then it leaves every in-sync set.
    ///
    /// - Throws: `INVALID_REQUEST` for an unknown broker, or one that is not running.
    public func stopBroker(_ id: Int32) throws(BrokerError) -> [ClusterEvent] {
        try takeDown(id, as: .stopped, reason: .controlledShutdown)
    }

    /// Crashes broker `id`'s process: its session with the controller ends at once, so its
    /// partitions elect new leaders. What it wrote stays in the page cache and survives; with
    /// `powerLoss` its machine loses power, and every write not yet flushed (see
    /// ``BrokerConfig/dirtyExpireMs``) is gone from its copies.
    public func killBroker(_ id: Int32, powerLoss: Bool = false) throws(BrokerError) -> [ClusterEvent] {
        try takeDown(id, as: powerLoss ? .poweredOff : .killed, reason: .leaderDied)
    }

    private func takeDown(_ id: Int32, as condition: BrokerCondition, reason: ElectionReason) throws(BrokerError) -> [ClusterEvent] {
        let now = clock.now()
        return try changingCluster { state throws(BrokerError) in
            let node = try state.node(id)
            guard node.condition.isAlive else {
                throw BrokerError(.invalidRequest, "broker \(id) is already down (\(node.condition.rawValue)): `broker start \(id)` starts it")
            }
            var events: [ClusterEvent] = []
            if condition == .poweredOff {
                try state.eachPartition(hostedBy: id) { partition, _ throws(BrokerError) in
                    if let lost = try partition.losePower(id, now: now, dirtyExpireMs: config.dirtyExpireMs) { events.append(lost) }
                }
            }
            state.nodes[id]!.condition = condition
            let isAlive = state.aliveness
            state.offsetsTopic.remove(id, isAlive: isAlive)
            try state.eachPartition(hostedBy: id) { partition, config throws(BrokerError) in
                events += try partition.remove(id, isAlive: isAlive, unclean: config.uncleanLeaderElectionEnable, reason: reason, now: now)
            }
            return events
        }
    }

    /// Starts broker `id` again: each of its copies truncates to its leader's log and catches up
    /// by fetching; a partition that had no leader gets it back if this was its last in-sync
    /// replica (or any replica, under `unclean.leader.election.enable`). Leadership returns to a
    /// preferred replica at the next preferred-leader check, a group's coordinator's too.
    public func startBroker(_ id: Int32) throws(BrokerError) -> [ClusterEvent] {
        let now = clock.now()
        return try changingCluster { state throws(BrokerError) in
            let node = try state.node(id)
            guard !node.condition.isAlive else {
                throw BrokerError(.invalidRequest, "broker \(id) is already running")
            }
            state.nodes[id]!.condition = .running
            let isAlive = state.aliveness
            state.offsetsTopic.rejoin(isAlive: isAlive)
            var events: [ClusterEvent] = []
            try state.eachPartition(hostedBy: id) { partition, config throws(BrokerError) in
                partition.caughtUpAt[id] = now
                events += try partition.rejoin(id, isAlive: isAlive, unclean: config.uncleanLeaderElectionEnable, now: now)
            }
            return events
        }
    }

    /// Stops broker `id`'s replica fetchers; it stays registered with the controller, so only
    /// falling behind for `replica.lag.time.max.ms` takes it out of in-sync sets.
    public func pauseBroker(_ id: Int32) throws(BrokerError) {
        _ = try changingCluster { state throws(BrokerError) in
            guard try state.node(id).condition == .running else {
                throw BrokerError(.invalidRequest, "broker \(id) is not running (\(state.nodes[id]!.condition.rawValue)), so there is nothing to pause")
            }
            state.nodes[id]!.condition = .paused
            return []
        }
    }

    /// Starts broker `id`'s replica fetchers again.
    public func resumeBroker(_ id: Int32) throws(BrokerError) -> [ClusterEvent] {
        try changingCluster { state throws(BrokerError) in
            guard try state.node(id).condition == .paused else {
                throw BrokerError(.invalidRequest, "broker \(id) is not paused (\(state.nodes[id]!.condition.rawValue)): `broker pause \(id)` pauses a running broker")
            }
            state.nodes[id]!.condition = .running
            return []
        }
    }

    /// Runs `change` on the cluster under the lock, saves the controller's image, then wakes
    /// whoever the change let read (a high watermark that moved) and settles waiting acks.
    ///
    /// - Returns: what `change` reported, and the acknowledgements it settled.
    func changingCluster(_ change: (inout BrokerState) throws(BrokerError) -> [ClusterEvent]) throws(BrokerError) -> [ClusterEvent] {
        let now = clock.now()
        let (events, callbacks) = try state.withLock { state throws(BrokerError) in
            let controller = state.controller
            let watermarks = state.watermarks()
            let (nodes, topics, offsetsTopic) = (state.nodes, state.topics, state.offsetsTopic)
            var events = try change(&state)
            if state.controller != controller {
                events.append(.controllerMoved(to: state.controller, epoch: (state.image?.controllerEpoch ?? 1) + 1))
            }
            do throws(BrokerError) {
                try state.saveImage(changingController: state.controller != controller)
            } catch {
                // The controller could not record it, so it did not happen (a truncation already done stays done).
                (state.nodes, state.topics, state.offsetsTopic) = (nodes, topics, offsetsTopic)
                throw error
            }
            events += state.settleWaitingAcks(now: now)
            return (events, state.wakeReaders(since: watermarks))
        }
        callbacks.forEach { $0() }
        brokersChanged()
        return events
    }
}

extension BrokerState {
    /// The broker `id`.
    ///
    /// - Throws: `INVALID_REQUEST` listing the brokers there are.
    func node(_ id: Int32) throws(BrokerError) -> BrokerNode {
        guard let node = nodes[id] else {
            throw BrokerError(.invalidRequest, "there is no broker \(id): the brokers are \(nodes.keys.sorted().map(String.init).joined(separator: ", "))")
        }
        return node
    }

    /// Whether each broker is alive, as elections ask.
    var aliveness: (Int32) -> Bool {
        let conditions = nodes.mapValues(\.condition)
        return { conditions[$0]?.isAlive ?? false }
    }

    /// The controller: it stays while it lives; then the lowest live broker takes over (in
    /// Kafka 2.5, whichever broker first created ZooKeeper's /controller node).
    var controller: Int32? {
        if let current = image?.controller ?? nodes.keys.min(), nodes[current]?.condition.isAlive == true { return current }
        return nodes.keys.sorted().first { nodes[$0]!.condition.isAlive }
    }

    /// Runs `body` on every partition with a copy on `broker`, topics in name order.
    mutating func eachPartition(
        hostedBy broker: Int32, _ body: (inout ReplicatedPartition, TopicConfig) throws(BrokerError) -> Void
    ) throws(BrokerError) {
        for name in topics.keys.sorted() {
            let config = topics[name]!.config
            for index in topics[name]!.partitions.indices where topics[name]!.partitions[index].replicas.contains(broker) {
                try body(&topics[name]!.partitions[index], config)
            }
        }
    }

    /// Every partition's high watermark now.
    func watermarks() -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for topic in topics.values {
            for partition in topic.partitions where partition.hasFollowers { result[partition.id] = partition.highWatermark }
        }
        return result
    }

    /// The data waiters of every partition whose high watermark moved since `before`, and the
    /// answers of the waiting acks=all writes settled now (a high watermark that moved, a
    /// leader that changed).
    mutating func wakeReaders(since before: [TopicPartition: Int64]) -> [@Sendable () -> Void] {
        var callbacks: [@Sendable () -> Void] = []
        for (key, watermark) in before {
            guard let name = try? TopicName(key.topic), let partition = topics[name]?.partitions[Int(key.partition)],
                  partition.highWatermark > watermark else { continue }
            callbacks += waiters.takeData(topic: key.topic, partition: key.partition, logEndOffset: partition.highWatermark)
        }
        return callbacks + settleAcknowledgements()
    }

    /// Writes the controller's image, when there is more to say than "one running broker holds
    /// everything" (or an image was written before).
    mutating func saveImage(changingController: Bool) throws(BrokerError) {
        var image = ClusterImage()
        image.controllerEpoch = (self.image?.controllerEpoch ?? 1) + (changingController ? 1 : 0)
        image.controller = controller
        image.brokers = nodes.mapValues(\.condition)
        image.offsetsTopicBrokers = offsetsTopic.brokers
        for topic in topics.values {
            for partition in topic.partitions {
                image.partitions[partition.id] = ClusterImage.Partition(
                    replicas: partition.replicas, leader: partition.leader, leaderEpoch: partition.leaderEpoch, isr: partition.isr,
                    reassignment: partition.reassignment)
            }
        }
        let needed = self.image != nil || nodes.count > 1 || nodes.values.contains { $0.condition != .running }
        guard needed, image != self.image else { return }
        try cluster.saveImage(image.text)
        self.image = image
    }
}
