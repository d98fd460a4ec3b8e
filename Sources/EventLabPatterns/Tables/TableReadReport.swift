/// What bringing a table up to date read, so a learner sees why compaction keeps a rebuild cheap.
public struct TableReadReport: Hashable, Sendable {
    /// Records read and not applied before: values, tombstones and skipped records.
    public var recordsRead = 0
    /// Records whose value the table took.
    public var valuesStored = 0
    /// Tombstones read; each deletes its key if the table held it.
    public var tombstones = 0
    /// Records left out, by reason.
    public var skipped: [TableSkip: Int] = [:]
    /// Offsets passed that held no record any more: the records compaction had removed.
    public var compactedAway: Int64 = 0
    /// Offsets the table had yet to read when retention deleted them: records it never saw.
    public var deletedUnread: Int64 = 0
    /// The keys the table holds afterwards.
    public var keysKept = 0
    /// True when the topic is compacted (`cleanup.policy` includes `compact`).
    public var topicIsCompacted = false

    /// A report of nothing read yet.
    public init() {}
}
