/// Kafka's consumer setting `auto.offset.reset`: where a consumer starts on a partition where it
/// has no valid position — nothing committed, or an offset outside the log because cleaning
/// deleted the records there or it lies past the log end.
public enum AutoOffsetReset: String, CaseIterable, Hashable, Sendable {
    /// The log start: the oldest record still kept.
    case earliest
    /// The log end: only records written from now on (Kafka's default).
    case latest
    /// No choice: the consumer fails instead.
    case none

    /// Why a start came from the rule rather than from the offset asked for.
    public enum Reason: Hashable, Sendable {
        /// Nothing is committed on the partition.
        case noCommittedOffset
        /// The offset asked for is below the log start: its records were deleted (retention, compaction or delete-records).
        case belowLogStart(offset: Int64, logStart: Int64)
        /// The offset asked for is past the log end.
        case pastLogEnd(offset: Int64, logEnd: Int64)
    }

    /// Where a consumer starts on `partition`, which holds offsets `logStart` to `logEnd - 1`,
    /// when it asks for `wanted` (nil when nothing is committed): `wanted` itself when the log
    /// holds it or it is the log end, else where the rule says.
    ///
    /// - Throws: `OFFSET_OUT_OF_RANGE` with the sentence of Kafka's consumer, when the rule is
    ///   `none` and `wanted` is not a valid position.
    public func start(
        _ partition: TopicPartition, at wanted: Int64?, logStart: Int64, logEnd: Int64
    ) throws(BrokerError) -> ConsumerStart {
        let reason: Reason
        switch wanted {
        case nil: reason = .noCommittedOffset
        case let offset? where offset < logStart: reason = .belowLogStart(offset: offset, logStart: logStart)
        case let offset? where offset > logEnd: reason = .pastLogEnd(offset: offset, logEnd: logEnd)
        case let offset?: return ConsumerStart(topicPartition: partition, offset: offset, reason: nil)
        }
        switch self {
        case .earliest: return ConsumerStart(topicPartition: partition, offset: logStart, reason: reason)
        case .latest: return ConsumerStart(topicPartition: partition, offset: logEnd, reason: reason)
        case .none:
            switch reason {
            case .noCommittedOffset:
                throw Self.undefined([partition])
            case .belowLogStart(let offset, _), .pastLogEnd(let offset, _):
                throw BrokerError(
                    .offsetOutOfRange,
                    "The requested offset is not within the range of offsets maintained by the server (offset \(offset); \(partition.topic) p\(partition.partition) holds \(logStart) to log end \(logEnd)): auto.offset.reset=none chooses no start; give --reset earliest or latest, or move the group with `group reset`")
            }
        }
    }
}

extension AutoOffsetReset {
    /// Kafka's NoOffsetForPartitionException, naming every partition with nothing committed.
    static func undefined(_ partitions: [TopicPartition]) -> BrokerError {
        let names = partitions.map { "\($0.topic)-\($0.partition)" }.joined(separator: ", ")
        return BrokerError(
            .offsetOutOfRange,
            "Undefined offset with no reset policy for partitions: [\(names)] (nothing is committed there): auto.offset.reset=none chooses no start; give --reset earliest or latest, or move the group with `group reset`")
    }
}

/// Where a consumer starts reading one partition, and whether `auto.offset.reset` chose it.
public struct ConsumerStart: Hashable, Sendable {
    /// The partition.
    public var topicPartition: TopicPartition
    /// The first offset to read.
    public var offset: Int64
    /// Nil when the offset asked for was valid; else why the rule chose `offset`.
    public var reason: AutoOffsetReset.Reason?

    /// A start at `offset` on `topicPartition`, chosen by the rule for `reason` (nil: asked for).
    public init(topicPartition: TopicPartition, offset: Int64, reason: AutoOffsetReset.Reason?) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.reason = reason
    }
}
