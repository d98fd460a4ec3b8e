/// One partition across the cluster: each replica's own copy of the log, and the leader's view
/// of them — Kafka's leader, leader epoch, in-sync replicas (ISR) and high watermark.
///
/// Reads and appends go to the leader's copy. Followers copy the leader's batches as they are,
/// offsets and bytes included. The high watermark is the offset every in-sync replica has
/// reached; consumers read only below it, and an acks=all write is acknowledged once it passes.
/// With one replica the ISR is the leader alone, so the high watermark is the log end, as it
/// always was.
struct ReplicatedPartition {
    /// Which partition this is.
    let id: TopicPartition
    /// The brokers holding a copy, in preference order: the first is the preferred leader.
    var replicas: [Int32]
    /// Each replica's log, over its own broker's storage.
    var copies: [Int32: PartitionLog]
    /// The broker that leads, or nil while no in-sync replica is alive (offline).
    var leader: Int32?
    /// The last broker that led: what `describe` shows while the partition is offline.
    var lastLeader: Int32
    /// How many times leadership moved.
    var leaderEpoch: Int32 = 0
    /// The in-sync replicas, in preference order.
    var isr: [Int32]
    /// What every in-sync replica has; never goes back except through unclean election or a
    /// power loss of every in-sync replica.
    var highWatermark: Int64
    /// When each follower last had everything its leader had, on the broker clock.
    var caughtUpAt: [Int32: Int64] = [:]
    /// Each copy's leader epochs, read from its batches the first time they are needed.
    var epochs: [Int32: LeaderEpochCache] = [:]
    /// Each copy's idempotent producers, as its own batches leave them (Kafka's followers build
    /// theirs from the batches they copy): read from the copy's log the first time they are
    /// needed, kept up as it grows, forgotten when it is cut back. A new leader answers a
    /// producer's retry from its own log, never from batches only the old leader had.
    var producerStates: [Int32: ProducerState] = [:]
    /// Each copy's writes still in the page cache: lost if its broker loses power.
    var unflushed: [Int32: [UnflushedWrite]] = [:]
    /// Where the partition is being moved, if it is.
    var reassignment: Reassignment?

    /// A partition whose replicas are `replicas` with these copies, led by the first, all in
    /// sync as of `now`.
    init(_ id: TopicPartition, replicas: [Int32], copies: [Int32: PartitionLog], now: Int64) {
        self.id = id
        self.replicas = replicas
        self.copies = copies
        leader = replicas[0]
        lastLeader = replicas[0]
        isr = replicas
        highWatermark = replicas.map { copies[$0]?.logEndOffset ?? 0 }.min() ?? 0
        caughtUpAt = Dictionary(uniqueKeysWithValues: replicas.dropFirst().map { ($0, now) })
    }

    /// The copy reads and appends use: the leader's (the last leader's while offline).
    var log: PartitionLog { copies[leader ?? lastLeader]! }

    /// Whether the partition has followers, so its high watermark waits for them.
    var hasFollowers: Bool { replicas.count > 1 }

    /// Each replica's log end, by broker.
    var replicaEnds: [Int32: Int64] { copies.mapValues(\.logEndOffset) }

    /// The copy of `broker`'s epochs, read from its log if not yet known.
    mutating func epochCache(_ broker: Int32) throws(BrokerError) -> LeaderEpochCache {
        if let cache = epochs[broker] { return cache }
        let cache = try LeaderEpochCache(rebuiltFrom: copies[broker]!)
        epochs[broker] = cache
        return cache
    }

    /// The idempotent producers of `broker`'s copy, read from its log if not yet known.
    mutating func producers(of broker: Int32) -> ProducerState {
        if let producers = producerStates[broker] { return producers }
        let producers = ProducerState(rebuiltFrom: copies[broker]!)
        producerStates[broker] = producers
        return producers
    }

    /// Forgets what `broker`'s copy knew of its epochs and producers: its log was cut back or
    /// started afresh.
    mutating func forgetHistory(of broker: Int32) {
        epochs[broker] = nil
        producerStates[broker] = nil
    }

    /// Notes a batch written to `broker`'s copy at `now`: its epoch, and that it sits in the
    /// page cache until `dirtyExpireMs` passes.
    mutating func wrote(_ batch: RecordBatch, on broker: Int32, start: Int64, now: Int64, dirtyExpireMs: Int64) {
        epochs[broker]?.note(batch.partitionLeaderEpoch, at: batch.baseOffset)
        guard dirtyExpireMs > 0, let end = copies[broker]?.logEndOffset else { return }
        var writes = unflushed[broker, default: []]
        let flushedBefore = writes.prefix { now.subtractingSaturating($0.time) >= dirtyExpireMs }.count
        writes.removeFirst(flushedBefore)
        writes.append(UnflushedWrite(time: now, start: start, end: end))
        unflushed[broker] = writes
    }

    /// Moves the high watermark up to what every in-sync replica has.
    ///
    /// - Returns: whether it moved.
    @discardableResult
    mutating func advanceHighWatermark() -> Bool {
        let reached = isr.compactMap { copies[$0]?.logEndOffset }.min() ?? highWatermark
        guard leader != nil, reached > highWatermark else { return false }
        highWatermark = reached
        return true
    }

    /// Checks that an acks=all write may be appended: the in-sync set is at least the topic's
    /// `min.insync.replicas`.
    ///
    /// - Throws: `NOT_ENOUGH_REPLICAS`, saying who is in sync and how to get more.
    func checkEnoughInSync(config: TopicConfig) throws(BrokerError) {
        guard isr.count < config.minInsyncReplicas else { return }
        let members = isr.map(String.init).joined(separator: ", ")
        throw BrokerError(
            .notEnoughReplicas,
            "\(id.topic) p\(id.partition) has \(isr.count) in-sync replica\(isr.count == 1 ? "" : "s") (\(members)), fewer than its min.insync.replicas \(config.minInsyncReplicas): an acks=all write is refused before it is appended; start a replica's broker, or publish with --acks 1")
    }

    /// The in-sync replicas whose copies hold every offset below `offset`, in preference order:
    /// those an acks=all acknowledgement speaks for.
    func inSync(holding offset: Int64) -> [Int32] {
        isr.filter { (copies[$0]?.logEndOffset ?? 0) >= offset }
    }
}

/// A write to a replica's copy that its broker's page cache still holds.
struct UnflushedWrite: Equatable {
    /// When it was written, on the broker clock.
    var time: Int64
    /// The copy's log end before and after it.
    var start: Int64
    var end: Int64
}
