import EventLabCore

/// The records a drain or a step describes, one ``FlowStep`` each up to a budget, and how many
/// it handled past that budget: a drain of a million records describes a few and counts the rest.
public struct FlowTrace: Sendable, Equatable {
    /// How many records are described at most.
    public let budget: Int
    /// The records described, in the order they were handled.
    public private(set) var steps: [FlowStep] = []
    /// Records handled but not described, the budget being spent.
    public private(set) var untraced = 0
    /// Steps whose emissions are not produced yet, with the indices of those emissions.
    private var waiting: [(step: FlowStep, emissions: Range<Int>)] = []

    /// A trace describing at most `budget` records.
    public init(budget: Int) { self.budget = budget }

    public static func == (left: FlowTrace, right: FlowTrace) -> Bool {
        left.budget == right.budget && left.steps == right.steps && left.untraced == right.untraced
    }

    /// Whether the next record is to be described; counts it as untraced when not.
    mutating func take() -> Bool {
        if steps.count + waiting.count < budget { return true }
        untraced += 1
        return false
    }

    /// Describes a record whose emissions, `emissions` of the batch's, are produced later.
    mutating func pending(
        _ service: String, _ source: RecordPlace, _ eventType: String?, _ outcome: FlowStep.Outcome, emissions: Range<Int>,
        crash: CrashPoint? = nil
    ) {
        waiting.append((FlowStep(service: service, source: source, eventType: eventType, outcome: outcome, crash: crash), emissions))
    }

    /// The batch was produced, its emission `i` landing at `place(i)`; the waiting steps say where.
    mutating func land(place: (Int) -> RecordPlace, value: (Int) -> [UInt8]?) {
        for (step, emissions) in waiting {
            var step = step
            let records = emissions.map { EmittedRecord(place: place($0), eventType: Self.eventType(value($0))) }
            switch step.outcome {
            case .emitted: step.outcome = .emitted(records)
            case .deadLettered(_, let reason): step.outcome = .deadLettered(records[0], reason: reason)
            default: break
            }
            steps.append(step)
        }
        waiting = []
    }

    /// Marks the step describing `source`, when it is the last described, as hit by `crash`.
    mutating func mark(_ source: RecordPlace, crashed crash: CrashPoint) {
        guard let last = steps.indices.last, steps[last].source == source else { return }
        steps[last].crash = crash
    }

    /// The batch's emissions could not be produced: its records are not described, as they
    /// count as not read.
    mutating func dropPending() {
        waiting = []
    }

    /// The `type` field of a JSON object value, when it is text.
    private static func eventType(_ value: [UInt8]?) -> String? {
        guard let value, case .object(let members)? = try? JSONParser.parse(value) else { return nil }
        guard case .string(let type)? = members.first(where: { $0.key == "type" })?.value else { return nil }
        return type
    }
}
