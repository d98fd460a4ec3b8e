import EventLabCore

/// What a service does with one record; a runtime applies it.
public enum Reaction: Sendable, Equatable {
    /// The record's type was read; `emissions` are to be produced in order (none when no rule
    /// matched or no condition held). The record then counts as processed.
    case handled(eventType: String, emissions: [Emission])
    /// The record was passed over without being poison; the runtime counts it.
    case skipped(SkipReason)
    /// The record cannot be handled. Nothing of its rules is emitted, so skipping or retrying it
    /// never produces half a reaction. With a dead-letter topic the runtime produces
    /// `poison.deadLetter` and moves on; without one the service stops at this record.
    case poison(Poison)
    /// A rule called a service that cannot answer now (it is stopped). The record is not at
    /// fault: nothing is emitted, and the service waits at this record until the callee answers
    /// again — event notification's coupling, made visible.
    case blocked(CallFailure)
}

/// Why a record was skipped.
public enum SkipReason: Sendable, Equatable {
    /// The record has no event type (no `type` field, or no such header), or it is `null`.
    case noType
}

/// A record to produce.
public struct Emission: Sendable, Hashable {
    public var topic: String
    public var key: [UInt8]?
    /// The value; nil only when a dead-lettered tombstone is passed on as it came.
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader]) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// A record a reaction cannot handle.
public struct Poison: Sendable, Equatable, CustomStringConvertible {
    /// The number of the rule that failed; nil when the event type itself could not be read.
    public var rule: Int?
    /// What went wrong, and where in the rule.
    public var reason: String
    /// The record to produce on the dead-letter topic, when the service has one.
    public var deadLetter: Emission?

    /// `rule 2: the condition at column 21: the event has no field $.total`.
    public var description: String {
        rule.map { "rule \($0): \(reason)" } ?? reason
    }
}

/// A call a rule could not make because the called service cannot answer now.
public struct CallFailure: Sendable, Equatable, CustomStringConvertible {
    /// The service called.
    public var service: String
    /// The query called.
    public var query: String
    /// Why the service cannot answer, e.g. `service customers is stopped`.
    public var reason: String
    /// The number of the rule that made the call.
    public var rule: Int

    public init(service: String, query: String, reason: String, rule: Int) {
        self.service = service
        self.query = query
        self.reason = reason
        self.rule = rule
    }

    /// `rule 1: call customers.address: service customers is stopped`.
    public var description: String {
        "rule \(rule): call \(Evaluator.callName(service, query)): \(reason)"
    }
}
