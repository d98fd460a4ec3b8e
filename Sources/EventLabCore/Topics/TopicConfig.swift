/// How a topic keeps, rolls and cleans its log, with Kafka's defaults.
///
/// Small segment sizes let a learner watch retention and compaction work, because both act on
/// whole closed segments only, exactly as in Kafka.
public struct TopicConfig: Hashable, Sendable {
    /// What cleaning does to closed segments.
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
    /// `retention.ms`: closed segments whose newest record is older are deleted; nil keeps forever.
    public var retentionMs: Int64? = 7 * 24 * 3_600_000
    /// `retention.bytes`: the oldest segments go while the rest still hold this many bytes; nil: no limit.
    public var retentionBytes: Int64?
    /// Like `retention.bytes`, counted in records (an EventLab addition for demos); nil: no limit.
    public var retentionRecords: Int64?
    /// `segment.bytes`: the active segment rolls before a batch that would take it past this.
    public var segmentBytes: Int = 1_073_741_824
    /// Records per segment, a soft limit: the segment rolls at the first batch boundary past it.
    public var segmentRecords: Int?
    /// `segment.ms`: the active segment rolls once it is this old.
    public var segmentMs: Int64? = 7 * 24 * 3_600_000
    /// `max.message.bytes`: the largest batch the topic accepts.
    public var maxMessageBytes: Int = 1_048_588
    /// `delete.retention.ms`: how long a tombstone survives compaction after it was written.
    public var deleteRetentionMs: Int64 = 24 * 3_600_000

    /// Kafka's defaults.
    public init() {}

    /// Checks every value, so a bad config never reaches a topic.
    ///
    /// - Throws: `INVALID_CONFIG` naming the setting and what it allows.
    public func validate() throws(BrokerError) {
        func invalid(_ name: String, _ value: some BinaryInteger, _ rule: String) -> BrokerError {
            BrokerError(.invalidConfig, "\(name) is \(value): it must be \(rule)")
        }
        if cleanupPolicy.isEmpty {
            throw BrokerError(.invalidConfig, "cleanup.policy is empty: use delete, compact or compact,delete")
        }
        if let retentionMs, retentionMs < 0 { throw invalid("retention.ms", retentionMs, "0 or more") }
        if let retentionBytes, retentionBytes < 0 { throw invalid("retention.bytes", retentionBytes, "0 or more") }
        if let retentionRecords, retentionRecords < 0 {
            throw invalid("retention.records", retentionRecords, "0 or more")
        }
        if segmentBytes < 14 { throw invalid("segment.bytes", segmentBytes, "at least 14") }
        if let segmentRecords, segmentRecords < 1 { throw invalid("segment.records", segmentRecords, "at least 1") }
        if let segmentMs, segmentMs < 1 { throw invalid("segment.ms", segmentMs, "at least 1") }
        if maxMessageBytes < RecordBatch.headerSize {
            throw invalid("max.message.bytes", maxMessageBytes, "at least \(RecordBatch.headerSize)")
        }
        if deleteRetentionMs < 0 { throw invalid("delete.retention.ms", deleteRetentionMs, "0 or more") }
    }
}
