/// How a topic keeps, rolls and cleans its log, with Kafka's defaults.
///
/// `TopicConfigRegistry` names each field by Kafka's config name, and holds its rule.
///
/// Small segment sizes let a learner watch retention and compaction work, because both act on
/// whole segments, exactly as in Kafka: retention on any (the active one rolled first),
/// compaction on closed ones only.
public struct TopicConfig: Hashable, Sendable {
    /// What cleaning does to segments.
    public struct CleanupPolicy: OptionSet, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Delete old segments by time, size and record count.
        public static let delete = CleanupPolicy(rawValue: 1)
        /// Keep only the last record per key.
        public static let compact = CleanupPolicy(rawValue: 2)

        /// Kafka's spelling: `delete`, `compact` or `compact,delete`.
        public var description: String {
            [contains(.compact) ? "compact" : nil, contains(.delete) ? "delete" : nil]
                .compactMap { $0 }.joined(separator: ",")
        }
    }

    /// `cleanup.policy`.
    public var cleanupPolicy: CleanupPolicy = .delete
    /// `retention.ms`: segments whose newest record is older are deleted, the active one rolled first; nil keeps forever.
    public var retentionMs: Int64? = 7 * 24 * 3_600_000
    /// `retention.bytes`: the oldest segments go while the rest still hold this many bytes; nil: no limit.
    public var retentionBytes: Int64?
    /// `retention.records`, EventLab's own: like `retention.bytes`, counted in records; nil: no limit.
    public var retentionRecords: Int64?
    /// `segment.bytes`: the active segment rolls before a batch that would take it past this.
    public var segmentBytes: Int = 1_073_741_824
    /// `segment.records`, EventLab's own: records per segment, a soft limit (the segment rolls at
    /// the first batch boundary past it); nil: no limit.
    public var segmentRecords: Int?
    /// `segment.ms`: the active segment rolls once it is this old.
    public var segmentMs: Int64 = 7 * 24 * 3_600_000
    /// `max.message.bytes`: the largest batch the topic accepts, as sent (compressed bytes for a
    /// compressed batch).
    public var maxMessageBytes: Int = 1_048_588
    /// `delete.retention.ms`: how long a tombstone survives compaction after the first cleaning that saw it.
    public var deleteRetentionMs: Int64 = 24 * 3_600_000
    /// `min.cleanable.dirty.ratio`: the cleaner cleans a partition once the bytes written since
    /// its last cleaning are above this share of the cleanable bytes.
    public var minCleanableDirtyRatio: Double = 0.5
    /// `min.compaction.lag.ms`: segments holding a record younger than this stay uncleaned.
    public var minCompactionLagMs: Int64 = 0
    /// `max.compaction.lag.ms`: a partition whose oldest uncleaned record is older than this is
    /// cleaned whatever its dirty ratio.
    public var maxCompactionLagMs: Int64 = .max
    /// `message.timestamp.type`: whether records keep the producer's time or carry the broker
    /// clock's time of their append.
    public var messageTimestampType: TimestampType = .createTime
    /// `min.insync.replicas`: how many in-sync replicas an acks=all write needs; with fewer it
    /// is refused (NOT_ENOUGH_REPLICAS).
    public var minInsyncReplicas: Int = 1
    /// `unclean.leader.election.enable`: whether a replica that is not in sync may lead when no
    /// in-sync one is alive, losing the acknowledged records it lacks (off since Kafka 0.11).
    public var uncleanLeaderElectionEnable = false

    /// Which time a record carries, with Kafka's names.
    public enum TimestampType: String, Hashable, Sendable {
        /// The producer's time, as it sent it; the broker recomputes only the batch's maxTimestamp.
        case createTime = "CreateTime"
        /// The broker clock's time when the batch is appended, stamped over the producer's.
        case logAppendTime = "LogAppendTime"
    }

    /// Kafka's defaults.
    public init() {}
}
