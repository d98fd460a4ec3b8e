/// Why a partition got a new leader.
public enum ElectionReason: Sendable, Equatable {
    /// Its leader died or stopped and an in-sync replica took over.
    case leaderDied
    /// Its leader was shut down cleanly and handed over first (controlled shutdown).
    case controlledShutdown
    /// The preferred replica (the first assigned) is back in sync and leads again
    /// (`auto.leader.rebalance.enable`).
    case preferred
    /// No in-sync replica was alive and `unclean.leader.election.enable` let an out-of-sync one
    /// lead: the acknowledged records in `lost` (offsets) are gone.
    case unclean(lost: Range<Int64>)
    /// An in-sync replica came back to a partition that had no leader.
    case cameBack
    /// A reassignment removes the leader's replica, so a replica of the target leads.
    case reassigned
}

/// Something the cluster did that a learner should see: the result of a failure command, or
/// of background work (the ISR check, the preferred-leader check).
public enum ClusterEvent: Sendable, Equatable {
    /// The controller moved to another broker (nil: none alive), with its new epoch.
    case controllerMoved(to: Int32?, epoch: Int32)
    /// A partition has a new leader, with its epoch and in-sync set.
    case leaderElected(TopicPartition, leader: Int32, epoch: Int32, isr: [Int32], reason: ElectionReason)
    /// A partition has no leader: every in-sync replica is down (its last in-sync set given).
    case wentOffline(TopicPartition, isr: [Int32])
    /// A replica left the in-sync set: its broker died, or it fell behind for longer than
    /// `replica.lag.time.max.ms` (`behindMs` then says for how long).
    case isrShrank(TopicPartition, removed: Int32, isr: [Int32], behindMs: Int64?)
    /// A replica caught up and joined the in-sync set again.
    case isrExpanded(TopicPartition, added: Int32, isr: [Int32])
    /// A replica cut its log back to what its leader has (leader epochs): `removed` were never
    /// acknowledged with acks=all.
    case truncated(TopicPartition, broker: Int32, removed: Range<Int64>, leader: Int32, epoch: Int32)
    /// A replica lost what it had not flushed when its broker lost power.
    case lostUnflushed(TopicPartition, broker: Int32, removed: Range<Int64>)
    /// A reassignment began: `adding` get copies and fetch; `removing` go once those are in sync.
    case reassigning(TopicPartition, target: [Int32], adding: [Int32], removing: [Int32])
    /// A reassignment ended: the partition's replicas are now `replicas`, and the copies on
    /// `removed` are deleted.
    case reassigned(TopicPartition, replicas: [Int32], removed: [Int32])
    /// Records written with acks=all and still waiting are now acknowledged: every in-sync
    /// replica (`replicas`) has them.
    case acknowledged(TopicPartition, offsets: Range<Int64>, replicas: [Int32])
    /// Records written with acks=all were not acknowledged: the in-sync set shrank below
    /// `min.insync.replicas` (NOT_ENOUGH_REPLICAS_AFTER_APPEND), or the wait timed out.
    case notAcknowledged(TopicPartition, offsets: Range<Int64>, error: BrokerError)
}

/// One follower fetch: what a follower copied from its leader, as `step` prints it.
public struct ReplicaFetch: Sendable, Equatable {
    /// The partition.
    public var partition: TopicPartition
    /// The follower that fetched.
    public var follower: Int32
    /// The leader it fetched from.
    public var leader: Int32
    /// The offsets copied (empty when it was already caught up).
    public var offsets: Range<Int64>
    /// The high watermark after the fetch.
    public var highWatermark: Int64
    /// What the fetch changed beyond the copy: the follower joining the ISR, acknowledgements.
    public var events: [ClusterEvent]

    /// A fetch with the given parts.
    public init(partition: TopicPartition, follower: Int32, leader: Int32, offsets: Range<Int64>, highWatermark: Int64, events: [ClusterEvent]) {
        self.partition = partition
        self.follower = follower
        self.leader = leader
        self.offsets = offsets
        self.highWatermark = highWatermark
        self.events = events
    }
}

/// Where an acks=all write stands.
public enum Acknowledgement: Sendable, Equatable {
    /// Acknowledged: these replicas had the records (all of the in-sync set).
    case acknowledged(replicas: [Int32])
    /// Waiting for these in-sync replicas to fetch the records.
    case waiting(for: [Int32])
    /// Not acknowledged, and never will be: why.
    case failed(BrokerError)
}
