/// One key's state and how far its events have been folded into it.
public struct AggregateState: Sendable, Equatable {
    /// The state after the events applied so far.
    public var state: JSON
    /// How many events have been applied: the key's version.
    public var version: Int
    /// The offset of the last event applied, nil before the first.
    public var offset: Int64?
    /// The partition of the last event applied, nil before the first.
    public var partition: Int32?

    /// The state of a key no event has reached yet.
    public init(_ initial: JSON) {
        state = initial
        version = 0
    }

    /// A key's state after `version` events, the last read at `offset` of `partition`.
    public init(state: JSON, version: Int, offset: Int64?, partition: Int32?) {
        self.state = state
        self.version = version
        self.offset = offset
        self.partition = partition
    }
}

/// Why an event could not be folded, as a poison record says it: the rule (nil for the key or
/// the event type) and what went wrong, with the column in the rule or key expression.
public struct AggregateFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that failed; nil when the key or the event type could not be read.
    public var rule: Int?
    /// The upcaster that failed before any rule read the event; nil when none did.
    public var upcaster: Int?
    public var reason: String

    public init(rule: Int?, upcaster: Int? = nil, reason: String) {
        self.rule = rule
        self.upcaster = upcaster
        self.reason = reason
    }

    /// `rule 2: the value of balance at column 24: …`, or the reason alone.
    public var description: String { rule.map { "rule \($0): \(reason)" } ?? reason }

    /// What fixes the failure of aggregate `name`: the rule that failed, the upcaster that
    /// did, or neither when the record itself cannot be read.
    public func fix(_ name: String) -> String {
        if let rule { return "fix it with `aggregate \(name) replace \(rule) on …`, then `aggregate rebuild \(name)`" }
        if let upcaster {
            return "the upcaster fails, not a rule: fix it with `upcast replace \(upcaster) on …`, or give it a `when` that selects only the old shape, then `aggregate rebuild \(name)`"
        }
        return "its key, event type or value cannot be read, so no rule change fixes it"
    }
}

/// What folding one event gave.
public enum AggregateFold: Sendable, Equatable {
    /// The event's type was read and its rules ran in number order (none may have matched):
    /// the state it leaves.
    case applied(eventType: String, state: JSON)
    /// The record has no event type; it is not one of the aggregate's events.
    case skipped(SkipReason)
    /// The event could not be folded; the state stays as it was.
    case failed(AggregateFailure)
}
