/// What applying one record did to a read model.
public enum ProjectionChange: Sendable, Equatable {
    /// `rules` rules changed the view.
    case applied(rules: Int)
    /// The record was read but changed nothing.
    case skipped(ProjectionSkip)
    /// A rule failed on the record, which changed nothing.
    case failed(ProjectionFailure)
    /// The record lies below the position: the view has it already.
    case alreadyApplied
}

/// Why a record changed nothing.
public enum ProjectionSkip: Hashable, Sendable {
    /// It has no event type (no such field or header, or it is null): a tombstone, say.
    case noType
    /// No rule applies to its event type.
    case noRule
    /// Its type's rules all have conditions, and none held.
    case noConditionHeld
}

/// A record a projection's rule could not apply.
public struct ProjectionFailure: Sendable, Equatable, CustomStringConvertible {
    /// The number of the rule that failed; nil when an upcaster failed or the event type itself
    /// could not be read.
    public var rule: Int?
    /// The upcaster that failed before any rule read the event; nil when none did.
    public var upcaster: Int?
    /// The record.
    public var place: RecordPlace
    /// What went wrong, and where in the rule.
    public var reason: String

    /// `orders p0 @4: rule 2: the group at column 25: the event has no field $.customer`, the
    /// record written as the pictures and traces write it.
    public var description: String {
        "\(place.topic) p\(place.partition) @\(place.offset): " + (rule.map { "rule \($0): \(reason)" } ?? reason)
    }

    /// What fixes the failure of projection `name`, as ``AggregateFailure/fix(_:)`` says it for
    /// an aggregate: the rule that failed, the upcaster that did, or neither when the record's
    /// event type cannot be read.
    public func fix(_ name: String) -> String {
        if let rule { return "mend the rule with `projection \(name) replace \(rule) on …` (or `remove \(rule)`) and rebuild" }
        if let upcaster {
            return "the upcaster fails, not a rule: fix it with `upcast replace \(upcaster) on …`, or give it a `when` that selects only the old shape, then `projection rebuild \(name)`"
        }
        return "its event type or value cannot be read, so no rule change fixes it"
    }
}
