import EventLabCore

/// One record a projection read, for the trace a learner reads after a command or a `step`:
/// `balances ← accounts p0 @3 Withdrawn → put a-1`.
public struct ProjectionStep: Sendable, Equatable {
    /// The projection that read the record.
    public var projection: String
    /// Where the record was read.
    public var source: RecordPlace
    /// The event type the rules read, once upcast, when it has one.
    public var eventType: String?
    /// The type the log holds, when upcasters changed the record (its type may stay).
    public var upcastFrom: String?
    /// What it did to the read model, in words: `put a-1`, `count c-1`, `sum 40 to c-1`,
    /// `no rule for Opened`, `failed: rule 2: …`.
    public var effect: String
}

/// What projections read in a drain, a step or an inline catch-up: the records described one
/// by one up to a budget, and per projection how many it read.
public struct ProjectionTrace: Sendable, Equatable {
    /// How many records are described at most.
    public let budget: Int
    /// The records described, in the order they were read.
    public private(set) var steps: [ProjectionStep] = []
    /// Records read but not described, the budget being spent.
    public private(set) var untraced = 0
    /// Records read per projection.
    public private(set) var read: [String: Int] = [:]
    /// Records per projection that some rule changed the view with.
    public private(set) var applied: [String: Int] = [:]
    /// Records per projection a rule failed on.
    public private(set) var failed: [String: Int] = [:]
    /// Projections whose group was reset, so their read models were replayed up to its new
    /// offsets before reading on.
    public internal(set) var followed: [String] = []

    /// A trace describing at most `budget` records.
    public init(budget: Int) { self.budget = budget }

    /// True while records are still described: the budget is not spent.
    var describesNext: Bool { steps.count < budget }

    /// Counts a record `projection` read, what it did, and its description when it has one.
    mutating func take(_ projection: String, _ change: ProjectionChange, _ step: ProjectionStep?) {
        read[projection, default: 0] += 1
        switch change {
        case .applied: applied[projection, default: 0] += 1
        case .failed: failed[projection, default: 0] += 1
        case .skipped, .alreadyApplied: break
        }
        if let step, steps.count < budget { steps.append(step) } else { untraced += 1 }
    }

    /// Records read by every projection together.
    public var recordsRead: Int { read.values.reduce(0, +) }
}

/// What applying one record did, noted by the code that applies it while it decides, so that
/// the description cannot disagree with the view: the type the rules read and the type the log
/// holds, and each change made, in rule order.
struct ProjectionNote {
    var eventType: String?
    var upcastFrom: String?
    var effects: [String] = []

    /// `record` from `source` described with what `change` was.
    func step(_ projection: String, _ record: Record, from source: SourcePartition, _ change: ProjectionChange) -> ProjectionStep {
        let place = RecordPlace(topic: source.topic, partition: source.partition, offset: record.offset)
        let effect: String
        switch change {
        case .applied: effect = effects.joined(separator: ", ")
        case .skipped(.noType): effect = "no event type: skipped"
        case .skipped(.noRule): effect = "no rule for \(eventType ?? "it")"
        case .skipped(.noConditionHeld): effect = "no rule's condition held"
        case .failed(let failure): effect = "failed: " + (failure.rule.map { "rule \($0): \(failure.reason)" } ?? failure.reason)
        case .alreadyApplied: effect = "already applied"
        }
        return ProjectionStep(projection: projection, source: place, eventType: eventType, upcastFrom: upcastFrom, effect: effect)
    }
}
