/// What one ``FlowRuntime/drain(_:tables:)`` did, service by service in name order.
public struct DrainReport: Sendable, Equatable {
    /// Each service the drain ran, by name.
    public var services: [ServiceDrain]
    /// The rounds run; in each, every service read once from each of its partitions.
    public var rounds: Int
    /// Set when the drain was cut at its round limit with records still unread: services that
    /// feed one another (A → B → A) never run out of records.
    public var warning: String?
    /// The records handled, described up to the trace's budget.
    public var trace: FlowTrace
    /// Tables that could not read their topic, with why and what would fix it (they keep what
    /// they had), or that were rebuilt because their topic was created again.
    public var tableProblems: [String: String] = [:]
    /// The calls reactions made, per caller and callee.
    public var calls: [CallEdge: CallCount] = [:]
    /// What the aggregates' catch-up found worth telling, by aggregate name.
    public var aggregates: [String: AggregateCatchUp] = [:]
    /// What the projections read after the services were done.
    public var projections = ProjectionTrace(budget: 0)

    /// Records read by every service together.
    public var recordsRead: Int { services.reduce(0) { $0 + $1.recordsRead } }
}

/// What one service did in a drain.
public struct ServiceDrain: Sendable, Equatable {
    /// The service's name, also its consumer group's.
    public let name: String
    /// Records read, each handled, skipped or poison.
    public var recordsRead = 0
    /// Records its rules emitted, per topic; dead letters are counted apart (``deadLettered``),
    /// and the ids a deduplicating service remembers not at all.
    public var emitted: [String: Int] = [:]
    /// Records passed over because they have no event type.
    public var skipped = 0
    /// Poison records sent to the dead-letter topic.
    public var deadLettered = 0
    /// Records passed over because their dedupe id was seen before.
    public var duplicates = 0
    /// Where and why the service stopped; nil when it read all it had.
    public var stop: ServiceStop?

    public init(name: String) { self.name = name }
}

/// Where a service stopped, and why.
public struct ServiceStop: Sendable, Equatable, CustomStringConvertible {
    /// Why a service stops, which decides when it goes on.
    public enum Kind: Sendable, Equatable {
        /// A record it cannot handle and cannot dead-letter: it stays stopped there until it is
        /// skipped past or started again.
        case poison
        /// A call it needed failed: it tries that record again in the next drain.
        case blocked
        /// Anything else (a refused commit, a failed read or produce): tried again next drain.
        case other
        /// An armed crash (`service crash`) hit this record: it stays stopped until started again.
        case crashed
    }

    /// The record it stopped at; nil when it stopped before reading any.
    public var record: RecordPlace?
    public var kind: Kind
    public var reason: String
    /// Where the crash hit, for a stop of kind ``Kind/crashed``.
    public var crash: CrashPoint?

    /// A stop of `kind` at `record`, for `reason`.
    public init(record: RecordPlace?, kind: Kind, reason: String) {
        self.record = record
        self.kind = kind
        self.reason = reason
    }

    /// `orders/0/4: rule 1: …`, or the reason alone.
    public var description: String { record.map { "\($0): \(reason)" } ?? reason }
}

/// A record's place: its topic, partition and offset.
public struct RecordPlace: Sendable, Equatable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    /// `orders/0/4`, as `eventlab.cause` writes it.
    public var description: String { "\(topic)/\(partition)/\(offset)" }
}
