import EventLabCore

/// One record a projection read, for the trace a learner reads after a command or a `step`:
/// `balances ← accounts p0 @3 Withdrawn → put a-1`.
public struct ProjectionStep: Sendable, Equatable {
    /// The projection that read the record.
    public var projection: String
    /// Where the record was read.
    public var source: RecordPlace
    /// Its event type, when it has one.
    public var eventType: String?
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

    /// Counts a record `projection` read and what it did; true when it is to be described.
    mutating func take(_ projection: String, _ change: ProjectionChange) -> Bool {
        read[projection, default: 0] += 1
        switch change {
        case .applied: applied[projection, default: 0] += 1
        case .failed: failed[projection, default: 0] += 1
        case .skipped, .alreadyApplied: break
        }
        if steps.count < budget { return true }
        untraced += 1
        return false
    }

    mutating func append(_ step: ProjectionStep) { steps.append(step) }

    /// Records read by every projection together.
    public var recordsRead: Int { read.values.reduce(0, +) }
}

extension ReadModel {
    /// Describes what `change`, applying `record` from `source`, did: the rules of its type whose
    /// conditions hold, each with the key or group it touched.
    func describe(_ record: Record, from source: SourcePartition, _ change: ProjectionChange) -> ProjectionStep {
        let place = RecordPlace(topic: source.topic, partition: source.partition, offset: record.offset)
        var eventType: String?
        if case .type(let type) = projection.typeReader.read(record) { eventType = type }
        let effect: String
        switch change {
        case .applied:
            let indices = eventType.flatMap { projection.rules(for: $0) } ?? []
            effect = indices.compactMap { Self.effect(of: projection.rules[$0].rule, record, source.partition) }.joined(separator: ", ")
        case .skipped(.noType): effect = "no event type: skipped"
        case .skipped(.noRule): effect = "no rule for \(eventType ?? "it")"
        case .skipped(.noConditionHeld): effect = "no rule's condition held"
        case .failed(let failure): effect = "failed: " + (failure.rule.map { "rule \($0): \(failure.reason)" } ?? failure.reason)
        case .alreadyApplied: effect = "already applied"
        }
        return ProjectionStep(projection: projection.name, source: place, eventType: eventType, effect: effect)
    }

    /// `put a-1`, `delete a-1`, `count c-1`, `sum 40 to c-1`; nil when the rule's condition
    /// does not hold. The rule applied, so its parts evaluate.
    private static func effect(of rule: ProjectionRule, _ record: Record, _ partition: Int32) -> String? {
        if let condition = rule.condition, (try? condition.test(record, partition: partition)) != true { return nil }
        func text(_ expression: Expression) -> String { (try? expression.evaluate(record, partition: partition).text) ?? "?" }
        switch rule.action {
        case .put(let key, _): return "put \(text(key))"
        case .delete(let key): return "delete \(text(key))"
        case .count(let group): return "count \(text(group))"
        case .sum(let amount, let group): return "sum \(text(amount)) to \(text(group))"
        }
    }
}
