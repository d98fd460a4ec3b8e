/// What one catch-up of a live aggregate read, and what in it the learner should hear about.
public struct AggregateCatchUp: Sendable, Equatable {
    /// Records read from the topic.
    public var eventsRead = 0
    /// Events folded into their key's state.
    public var applied = 0
    /// Applied events whose record key was not their aggregate key.
    public var keyedOtherwise = 0
    /// Events that could not be folded, where and why; their keys' states stay as they were.
    public var failures: [AggregateReport.Failure] = []
    /// Events retention deleted after the aggregate had folded them.
    public var deletedFolded: Int64 = 0
    /// Events retention deleted before the aggregate could read them.
    public var deletedUnread: Int64 = 0
    /// Snapshot records published (every key's state, each time `--snapshot-every` came round).
    public var snapshotRecords = 0
    /// Set when a snapshot came due while the states mixed rules, so none was written: the
    /// events folded since the last one, or since the start.
    public var snapshotRefused: Int?
    /// Set when the first read started from snapshots: what it took from them.
    public var fromSnapshots: AggregateSnapshotUse?
    /// Why the topic could not be read, or what was done about it, when that is new.
    public var problem: String?

    public init() {}

    /// Whether anything here is worth a line after a command: what went wrong or was lost.
    var isWorthTelling: Bool {
        keyedOtherwise > 0 || !failures.isEmpty || deletedFolded > 0 || deletedUnread > 0 || problem != nil || snapshotRefused != nil
    }
}
