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
    /// The number of the rule that failed; nil when the event type itself could not be read.
    public var rule: Int?
    /// The record.
    public var place: RecordPlace
    /// What went wrong, and where in the rule.
    public var reason: String

    /// `orders p0 @4: rule 2: the group at column 25: the event has no field $.customer`, the
    /// record written as the pictures and traces write it.
    public var description: String {
        "\(place.topic) p\(place.partition) @\(place.offset): " + (rule.map { "rule \($0): \(reason)" } ?? reason)
    }
}
