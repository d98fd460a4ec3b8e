import Synchronization

/// Something the broker did on its own, in the background, that whoever watches should hear.
public enum BrokerNotice: Sendable {
    /// A scheduled retention check or log cleaner pass changed a log, or met damage.
    case cleaning(MaintenanceReport)
    /// A scheduled offsets retention check removed a group's committed offsets.
    case offsetsExpired(OffsetsExpiry)
    /// Background replication work changed the cluster: the ISR check took a replica that fell
    /// behind out of an in-sync set, the preferred-leader check moved a leader, waiting acks=all
    /// writes were acknowledged or failed.
    case cluster([ClusterEvent])
}

/// One group's committed offsets that expired (`offsets.retention.minutes`).
public struct OffsetsExpiry: Sendable, Equatable {
    /// When the check ran, on the broker clock.
    public var at: Int64
    /// The group.
    public var group: String
    /// The partitions whose offsets are gone.
    public var partitions: [TopicPartition]
    /// What the expiry counted from: `.emptySince` for a group whose members left,
    /// `.neverHadMembers` for offsets counted from their commits.
    public var presence: GroupPresence
    /// The retention that ran out, in minutes.
    public var retentionMinutes: Int64
}

/// Where background work posts its notices: queued until the REPL or a script takes them at a
/// clear moment (between commands, before the prompt), or handed straight to a listener, as
/// `serve` logs them while they happen.
public final class NoticeBoard: Sendable {
    private struct State {
        var queued: [BrokerNotice] = []
        var listener: (@Sendable (BrokerNotice) -> Void)?
    }

    private let state = Mutex(State())

    /// An empty board that queues.
    public init() {}

    /// Posts `notice`: to the listener if there is one, else to the queue.
    public func post(_ notice: BrokerNotice) {
        let listener = state.withLock { state in
            if state.listener == nil { state.queued.append(notice) }
            return state.listener
        }
        listener?(notice)
    }

    /// The queued notices, oldest first, leaving the queue empty.
    public func take() -> [BrokerNotice] {
        state.withLock { state in
            defer { state.queued = [] }
            return state.queued
        }
    }

    /// Hands every notice from now on to `listener` as it is posted, starting with those queued.
    public func deliver(to listener: @escaping @Sendable (BrokerNotice) -> Void) {
        let queued = state.withLock { state in
            state.listener = listener
            defer { state.queued = [] }
            return state.queued
        }
        queued.forEach(listener)
    }
}
