/// An acks=all write a command saw waiting: announced once acknowledged, or once it cannot be.
struct WaitingAck {
    var partition: TopicPartition
    /// The offsets waiting: from the high watermark when it was seen to its last record.
    var offsets: Range<Int64>
    /// The leader epoch it was written in: a new leader fails it, as Kafka fails a waiting
    /// produce with NOT_LEADER_OR_FOLLOWER.
    var leaderEpoch: Int32
    /// When it was written, on the broker clock.
    var since: Int64
}

extension Broker {
    /// How long an acks=all write waits for its replicas before it counts as failed: the Java
    /// producer's `delivery.timeout.ms`, 2 minutes (its retries hide shorter request timeouts).
    public static let acknowledgementTimeoutMs: Int64 = 120_000

    /// Runs follower fetches until no running follower has anything left to fetch: what
    /// followers do between two commands on the logical clock.
    ///
    /// - Returns: each fetch, in the order run.
    public func settleReplication() -> [ReplicaFetch] {
        var fetches: [ReplicaFetch] = []
        while let fetch = stepReplication() {
            fetches.append(fetch)
            // A fetch that changed nothing would be the next one again: stop rather than spin.
            if fetch.offsets.isEmpty && fetch.events.isEmpty { break }
        }
        return fetches
    }

    /// Runs one follower fetch that would change something, if any — followers by id, then
    /// topics by name and partitions by index: what `step` does under `flow manual`.
    public func stepReplication() -> ReplicaFetch? {
        let now = clock.now()
        let (fetch, callbacks) = state.withLock { state -> (ReplicaFetch?, [@Sendable () -> Void]) in
            // One broker has no followers: nothing to look for.
            guard !state.isClosed, state.nodes.count > 1, let (name, index, follower) = state.nextFetch() else { return (nil, []) }
            let watermarks = state.watermarks()
            let topicConfig = state.topics[name]!.config
            var partition = state.topics[name]!.partitions[index]
            let leader = partition.leader!
            do throws(BrokerError) {
                let (copied, events) = try partition.fetch(by: follower, config: topicConfig, now: now, dirtyExpireMs: config.dirtyExpireMs)
                state.topics[name]!.partitions[index] = partition
                let moved = partition.reassignment == nil ? [] : state.finishReassignments(now: now)
                // A follower back in the ISR, or a reassignment done, is the controller's to keep.
                if !events.isEmpty || !moved.isEmpty { try? state.saveImage(changingController: false) }
                let settled = moved + state.settleWaitingAcks(now: now)
                let fetch = ReplicaFetch(
                    partition: partition.id, follower: follower, leader: leader, offsets: copied,
                    highWatermark: partition.highWatermark, events: events + settled)
                return (fetch, state.wakeReaders(since: watermarks))
            } catch {
                // A copy that cannot be written stops this round of fetches; the follower falls
                // behind and leaves the ISR after replica.lag.time.max.ms, as a broker with a
                // failing disk does.
                return (nil, [])
            }
        }
        callbacks.forEach { $0() }
        return fetch
    }

    /// Where an acks=all write to `partition` of `topic` whose last record is at `offset` stands:
    /// acknowledged once the high watermark passed it with at least `min.insync.replicas` in
    /// sync; waiting for the in-sync followers that lack it; failed once that can no longer
    /// happen. A waiting write is announced later, as a ``BrokerNotice/cluster(_:)`` notice or
    /// in the events of the fetch or command that settles it.
    public func acknowledgement(_ topic: String, partition: Int32, through offset: Int64) -> Acknowledgement {
        let now = clock.now()
        return state.withLock { state in
            guard let (topicState, replicated) = try? state.replicated(topic, partition) else {
                return .failed(BrokerError(.unknownTopicOrPartition, "\(topic) p\(partition) no longer exists"))
            }
            if replicated.highWatermark > offset {
                return replicated.isr.count >= topicState.config.minInsyncReplicas
                    ? .acknowledged(replicas: replicated.inSync(holding: offset + 1))
                    : .failed(.notEnoughAfterAppend(replicated, minimum: topicState.config.minInsyncReplicas))
            }
            guard replicated.leader != nil else { return .failed(.offline(replicated)) }
            let key = TopicPartition(topic, partition)
            if !state.waitingAcks.contains(where: { $0.partition == key && $0.offsets.upperBound == offset + 1 }) {
                state.waitingAcks.append(WaitingAck(
                    partition: key, offsets: replicated.highWatermark..<offset + 1, leaderEpoch: replicated.leaderEpoch, since: now))
            }
            return .waiting(for: replicated.isr.filter { (replicated.copies[$0]?.logEndOffset ?? 0) <= offset })
        }
    }

    /// Schedules the ISR check (every half `replica.lag.time.max.ms`, as Kafka's
    /// isr-expiration task) and the preferred-leader check on the broker clock: only once the
    /// cluster has a second broker, so a single broker's timetable stays as it was.
    func scheduleReplicationChecks() {
        let interval = max(1, config.replicaLagTimeMaxMs / 2)
        scheduler.schedule(Self.isrCheckLabel, in: .broker, after: interval, every: interval) { [weak self] in
            guard let self else { return }
            let events = checkInSyncReplicas()
            if !events.isEmpty { notices.post(.cluster(events)) }
        }
        guard config.autoLeaderRebalanceEnable else { return }
        let imbalance = config.leaderImbalanceCheckIntervalSeconds.multipliedReportingOverflow(by: 1000).partialValue
        scheduler.schedule(Self.preferredLeaderLabel, in: .broker, after: imbalance, every: imbalance) { [weak self] in
            guard let self else { return }
            let events = (try? electPreferredLeaders()) ?? []
            if !events.isEmpty { notices.post(.cluster(events)) }
        }
    }

    /// The ISR check's name in `clock`'s list.
    public static let isrCheckLabel = "ISR check (replica.lag.time.max.ms)"
    /// The preferred-leader check's name in `clock`'s list.
    public static let preferredLeaderLabel = "preferred-leader check (auto.leader.rebalance.enable)"

    /// Takes out of each in-sync set the followers that fell behind for longer than
    /// `replica.lag.time.max.ms`, and fails the acks=all writes that waited too long.
    public func checkInSyncReplicas() -> [ClusterEvent] {
        let now = clock.now()
        let (events, callbacks) = state.withLock { state -> ([ClusterEvent], [@Sendable () -> Void]) in
            guard !state.isClosed else { return ([], []) }
            let watermarks = state.watermarks()
            let conditions = state.nodes.mapValues(\.condition)
            var events: [ClusterEvent] = []
            for name in state.topics.keys.sorted() {
                for index in state.topics[name]!.partitions.indices where state.topics[name]!.partitions[index].hasFollowers {
                    let removed = state.topics[name]!.partitions[index].shrinkIsr(
                        now: now, lagMaxMs: config.replicaLagTimeMaxMs, fetching: { conditions[$0] == .running })
                    let partition = state.topics[name]!.partitions[index]
                    events += removed.map { .isrShrank(partition.id, removed: $0.0, isr: partition.isr, behindMs: $0.1) }
                }
            }
            if !events.isEmpty { try? state.saveImage(changingController: false) }
            events += state.settleWaitingAcks(now: now)
            return (events, state.wakeReaders(since: watermarks))
        }
        callbacks.forEach { $0() }
        return events
    }

    /// Moves each partition's lead back to its preferred replica where that replica is alive and
    /// in sync, for every broker whose share of such partitions is above Kafka's
    /// `leader.imbalance.per.broker.percentage` (10%). As Kafka's controller does, it counts and
    /// moves the partitions of `__consumer_offsets` with the others: a group's coordinator
    /// returns to its preferred broker here, not when that broker starts.
    public func electPreferredLeaders() throws(BrokerError) -> [ClusterEvent] {
        let now = clock.now()
        return try changingCluster { state throws(BrokerError) in
            let isAlive = state.aliveness
            let all = state.topics.values.flatMap(\.partitions)
            let offsetsTopic = state.offsetsTopic
            let imbalanced = Set(state.nodes.keys.filter { broker in
                let preferred = all.filter { $0.replicas.first == broker }
                let elsewhere = preferred.filter { $0.leader != broker }
                let offsets = offsetsTopic.share(of: broker)
                let (count, away) = (preferred.count + offsets.preferred, elsewhere.count + offsets.elsewhere)
                return count > 0 && away * 10 > count
            })
            state.offsetsTopic.electPreferred(for: imbalanced, isAlive: isAlive)
            var events: [ClusterEvent] = []
            for name in state.topics.keys.sorted() {
                for index in state.topics[name]!.partitions.indices where imbalanced.contains(state.topics[name]!.partitions[index].replicas[0]) {
                    events += try state.topics[name]!.partitions[index].electPreferred(isAlive: isAlive, now: now)
                }
            }
            return events
        }
    }
}

extension BrokerState {
    /// The next follower fetch that would change something: followers by id, topics by name,
    /// partitions by index.
    func nextFetch() -> (TopicName, Int, Int32)? {
        let conditions = nodes.mapValues(\.condition)
        for follower in nodes.keys.sorted() where conditions[follower] == .running {
            for name in topics.keys.sorted() {
                for (index, partition) in topics[name]!.partitions.enumerated()
                where partition.replicas.contains(follower) && partition.leader.map({ conditions[$0]?.isAlive ?? false }) == true
                    && partition.needsFetch(by: follower) {
                    return (name, index, follower)
                }
            }
        }
        return nil
    }

    /// Settles the waiting acks=all writes that can be: acknowledged, failed, or timed out.
    mutating func settleWaitingAcks(now: Int64) -> [ClusterEvent] {
        guard !waitingAcks.isEmpty else { return [] }
        var events: [ClusterEvent] = []
        var waiting = waitingAcks
        waiting.removeAll { waiting in
            guard let (topic, partition) = try? replicated(waiting.partition.topic, waiting.partition.partition) else { return true }
            let minimum = topic.config.minInsyncReplicas
            let event: ClusterEvent? =
                if partition.leaderEpoch != waiting.leaderEpoch {
                    .notAcknowledged(waiting.partition, offsets: waiting.offsets, error: BrokerError(
                        .notLeaderOrFollower,
                        "the leader changed (epoch \(partition.leaderEpoch)) before every in-sync replica had them; a producer sends them again — a duplicate unless it is idempotent"))
                } else if partition.highWatermark >= waiting.offsets.upperBound {
                    partition.isr.count >= minimum
                        ? .acknowledged(waiting.partition, offsets: waiting.offsets, replicas: partition.inSync(holding: waiting.offsets.upperBound))
                        : .notAcknowledged(waiting.partition, offsets: waiting.offsets, error: .notEnoughAfterAppend(partition, minimum: minimum))
                } else if now.subtractingSaturating(waiting.since) >= Broker.acknowledgementTimeoutMs {
                    .notAcknowledged(waiting.partition, offsets: waiting.offsets, error: BrokerError(
                        .requestTimedOut,
                        "the replicas did not fetch them within the producer's delivery.timeout.ms (2m); they stay in the leader's log and may still be replicated"))
                } else {
                    nil
                }
            if let event { events.append(event) }
            return event != nil
        }
        waitingAcks = waiting
        return events
    }
}

extension BrokerError {
    /// An acks=all write whose in-sync set shrank below `min.insync.replicas` before it was acknowledged.
    static func notEnoughAfterAppend(_ partition: ReplicatedPartition, minimum: Int) -> BrokerError {
        BrokerError(
            .notEnoughReplicasAfterAppend,
            "\(partition.id.topic) p\(partition.id.partition) has \(partition.isr.count) in-sync replica\(partition.isr.count == 1 ? "" : "s") (\(partition.isr.map(String.init).joined(separator: ", "))), fewer than its min.insync.replicas \(minimum), so the write was appended but not acknowledged")
    }
}

/// When followers fetch from their leaders.
public enum ReplicationPace: UInt8, Sendable {
    /// As soon as the leader appends, as real followers fetch continuously: what network
    /// clients and `flow auto` see.
    case continuous
    /// Only when asked (``Broker/stepReplication()``, ``Broker/settleReplication()``): `flow
    /// manual`, where `step` shows each follower fetch.
    case stepped
}

extension Broker {
    /// When followers fetch: continuously (the default) or one step at a time.
    public var replicationPace: ReplicationPace {
        get { ReplicationPace(rawValue: pace.load(ordering: .relaxed)) ?? .continuous }
        set { pace.store(newValue.rawValue, ordering: .relaxed) }
    }

    /// After an append to a partition with followers, under continuous replication: lets the
    /// followers fetch now, and posts what that changed beyond the copies (a follower back in
    /// sync, a waiting write acknowledged) as a notice.
    func followersFetch() {
        guard replicationPace == .continuous else { return }
        let events = settleReplication().flatMap(\.events)
        if !events.isEmpty { notices.post(.cluster(events)) }
    }
}
