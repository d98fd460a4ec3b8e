/// What replaying an aggregate's topic read, so a learner sees what the fold took and left.
public struct AggregateReport: Hashable, Sendable {
    /// An event that could not be folded, where it lies, and why.
    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        public var partition: Int32
        public var offset: Int64
        public var failure: AggregateFailure

        /// `partition 0 offset 7: rule 2: …`.
        public var description: String { "partition \(partition) offset \(offset): \(failure)" }
    }

    /// Records read from the topic.
    public var eventsRead = 0
    /// Events folded into their key's state (a key's version counts them).
    public var applied = 0
    /// Records without an event type, which are not the aggregate's events.
    public var skippedWithoutType = 0
    /// Applied events whose record key was not their aggregate key: the aggregate folds them by
    /// its key, but they may sit in another partition than the key's other events, so their
    /// order against those is not kept.
    public var keyedOtherwise = 0
    /// Events that could not be folded, in the order read; their keys' states stay as they were.
    public var failures: [Failure] = []
    /// Per partition, the offset the read stopped before: where a snapshot of the states says
    /// it was taken.
    public var readTo: [Int32: Int64] = [:]
    /// What a rebuild from snapshots took from them; nil for a rebuild from the start.
    public var snapshots: AggregateSnapshotUse?

    /// A report of nothing read yet.
    public init() {}
}

/// A point in a key's history to travel to: the events at or before it are folded.
public enum AggregatePoint: Hashable, Sendable {
    /// The key's events at offsets up to this one (an offset in the key's partition).
    case offset(Int64)
    /// The key's first N events.
    case version(Int)
    /// The key's events whose timestamps (ms since the epoch) are at or before this one.
    case time(Int64)
}

/// One event of a key's trace: where it was read and the state it left.
public struct AggregateTraceStep: Equatable, Sendable {
    public var partition: Int32
    public var offset: Int64
    public var timestamp: Int64
    public var eventType: String
    /// The key's version after the event.
    public var version: Int
    /// The state after the event.
    public var state: JSON
}

/// What a rebuild took from a snapshot topic, and what it left and why.
public struct AggregateSnapshotUse: Hashable, Sendable {
    /// Records in the source topic, of which the report's `eventsRead` were replayed.
    public var recordsInTopic = 0
    /// Keys whose state started from their snapshot.
    public var keysFromSnapshot = 0
    /// Snapshots not used, counted by why (e.g. "made under other rules").
    public var ignored: [String: Int] = [:]
    /// Per partition, the furthest offset the snapshots used had read to; nil when no key
    /// started from one.
    public var startedAt: [Int32: Int64]?

    /// Nothing taken yet.
    public init() {}
}
