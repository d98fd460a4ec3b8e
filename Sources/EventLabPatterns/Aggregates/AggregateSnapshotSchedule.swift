/// When a live aggregate writes its snapshots, and what it has written: a pure value its slot
/// keeps. It counts the events folded since the last snapshot written, or since the states
/// were last rebuilt (a rebuild starts the count again), or since the start, and decides after
/// each event folded whether a snapshot is due (`--snapshot-every N`), or due but refused
/// because the states mix rules.
public struct AggregateSnapshotSchedule: Sendable, Equatable {
    /// What to do after one more event folded.
    public enum Step: Sendable, Equatable {
        /// Nothing: no snapshot is due.
        case wait
        /// Write every key's state now.
        case write
        /// A snapshot is due, but the states mix rules, so none is written; said once, until a
        /// rebuild or a snapshot written.
        case refuse
    }

    /// Writes every key's state after each this many events folded; nil: only on
    /// `aggregate snapshot`. ``change(every:)`` changes it.
    public private(set) var every: Int?
    /// What the count of events folded starts from.
    public enum CountedFrom: Sendable, Equatable {
        /// The aggregate's start: nothing written, no rebuild.
        case start
        /// The last snapshot written.
        case snapshot
        /// The last rebuild (or the first read of a reopened workspace, from snapshots).
        case rebuild
    }

    /// Events folded since `countedFrom`.
    public private(set) var sinceLast = 0
    /// What `sinceLast` counts from.
    public private(set) var countedFrom = CountedFrom.start
    /// Per partition of the source, where the fold had read to when the last snapshot was
    /// written or taken from; nil: none under the current states' fold.
    public private(set) var lastAt: [Int32: Int64]?
    /// True once a due snapshot was refused since the last one written or rebuild.
    public private(set) var refused = false

    /// A schedule writing after each `every` events folded (nil: never by itself), with nothing
    /// folded or written yet.
    public init(every: Int? = nil) {
        self.every = every
    }

    /// Counts one more event folded, and says whether a snapshot is due now: never while
    /// `mixesRules`, for a snapshot would hold states the rules do not give.
    public mutating func folded(mixesRules: Bool) -> Step {
        sinceLast += 1
        guard let every, sinceLast >= every else { return .wait }
        guard mixesRules else { return .write }
        if refused { return .wait }
        refused = true
        return .refuse
    }

    /// Writes after each `every` events folded from now on (nil: only on `aggregate snapshot`):
    /// a refusal said under the old setting is forgotten, so a snapshot due under the new one
    /// is refused, and said, again.
    public mutating func change(every: Int?) {
        guard every != self.every else { return }
        self.every = every
        refused = false
    }

    /// `each event folded`, `each 100 events folded`.
    public static func each(_ every: Int) -> String {
        every == 1 ? "each event folded" : "each \(every) events folded"
    }

    /// A snapshot of every key was written with the source read up to `at`.
    public mutating func written(at: [Int32: Int64]) {
        lastAt = at
        sinceLast = 0
        countedFrom = .snapshot
        refused = false
    }

    /// The states were folded anew (a rebuild, or a first read from snapshots), starting from
    /// the snapshots read up to `snapshotsAt`, or from the log start when nil; the count starts
    /// again.
    public mutating func rebuilt(snapshotsAt: [Int32: Int64]?) {
        lastAt = snapshotsAt
        sinceLast = 0
        countedFrom = .rebuild
        refused = false
    }

    /// What the schedule means, for `aggregate describe`: when it writes, the last snapshot
    /// (where the fold had read `source` to) and the events folded since; nil when it neither
    /// writes by itself nor has written. `topic` is the snapshot topic.
    public func describe(topic: String, source: String) -> String? {
        let from = switch countedFrom {
        case .start: "the start"
        case .snapshot: "it"
        case .rebuild: "the last rebuild"
        }
        let events = "\(sinceLast) event\(sinceLast == 1 ? "" : "s") folded since \(from)"
        let last: String
        if let lastAt {
            last = "the last with \(source) read up to \(FoldPositions.lastRead(lastAt)), \(events)"
        } else {
            last = "no snapshot of these states yet, \(events)"
        }
        if let every {
            return "snapshots: every key's state to \(topic) after \(Self.each(every)); \(last)"
        }
        guard lastAt != nil else { return nil }
        return "snapshots: every key's state to \(topic) on `aggregate snapshot` only; \(last)"
    }

    /// Why no snapshot is written while the states of aggregate `name` mix rules, when it
    /// writes them by itself: what `aggregate describe` adds under the schedule.
    public func mixedRules(_ name: String, mixesRules: Bool) -> String? {
        guard mixesRules, let every else { return nil }
        let why = "its states mix rules, so a snapshot would hold states its rules do not give; `aggregate rebuild \(name)` folds them under the rules as they are, and snapshots go on"
        return sinceLast >= every
            ? "a snapshot is due (\(sinceLast) event\(sinceLast == 1 ? "" : "s") folded, \(every == 1 ? "each writes one" : "each \(every) write one")) but not written: \(why)"
            : "no snapshot is written while \(why)"
    }
}
