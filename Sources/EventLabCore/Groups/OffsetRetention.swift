/// Whether a group has members, and since when it has none: what Kafka (since KIP-211, 2.1)
/// counts the expiry of its committed offsets from.
public enum GroupPresence: Hashable, Sendable {
    /// No member ever joined (offsets from a standalone consumer or `group reset`): each
    /// offset expires `offsets.retention.minutes` after its own commit.
    case neverHadMembers
    /// Members are in the group: its offsets never expire.
    case hasMembers
    /// The last member left at this broker-clock time: every offset expires
    /// `offsets.retention.minutes` after it.
    case emptySince(Int64)
}

/// Kafka's rule for when an empty group's committed offsets are gone.
public enum OffsetRetention {
    /// The partitions whose offsets have expired at `now` (broker clock) for a group whose
    /// members stand as `presence` says, after `retentionMs`; offsets without a commit
    /// timestamp count as committed at `now`.
    public static func expired(
        _ offsets: [TopicPartition: CommittedOffset], presence: GroupPresence, now: Int64, retentionMs: Int64
    ) -> [TopicPartition] {
        offsets.filter { _, committed in
            let since: Int64
            switch presence {
            case .hasMembers: return false
            case .emptySince(let time): since = time
            case .neverHadMembers: since = committed.commitTimestamp ?? now
            }
            return now.subtractingSaturating(since) >= retentionMs
        }.keys.sorted()
    }
}
