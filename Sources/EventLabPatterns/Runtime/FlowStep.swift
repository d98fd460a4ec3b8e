import EventLabCore

/// One record a service handled, for the trace a learner reads after a command or a `step`:
/// `billing ← orders p0 @3 OrderPlaced → payments p1 @2 PaymentRequested`.
public struct FlowStep: Sendable, Equatable {
    /// What became of the record.
    public enum Outcome: Sendable, Equatable {
        /// Its type was read and its rules emitted these records (none when no rule matched).
        case emitted([EmittedRecord])
        /// It had no event type; it counts as read.
        case skipped
        /// It could not be handled and went to the dead-letter topic, as this record.
        case deadLettered(EmittedRecord, reason: String)
        /// It could not be handled, and the service stopped at it.
        case poison(reason: String)
        /// A call it needed failed, and the service stopped at it until the callee is back.
        case blocked(reason: String)
        /// Its dedupe id was seen before, so it was passed over.
        case duplicate(id: String)
        /// The service crashed before handling it (see ``FlowStep/crash``).
        case notHandled
    }

    /// The service that read the record.
    public var service: String
    /// Where the record was read.
    public var source: RecordPlace
    /// Its event type, when it has one.
    public var eventType: String?
    public var outcome: Outcome
    /// Where an armed crash stopped the service on this record; nil when none did.
    public var crash: CrashPoint? = nil

    /// True when the service stopped at the record: poison, or a call that failed.
    public var isStop: Bool {
        switch outcome {
        case .poison, .blocked: true
        default: false
        }
    }
}

/// A record a service produced, and where it landed.
public struct EmittedRecord: Sendable, Equatable {
    public var place: RecordPlace
    /// The `type` field of its value, when it is text.
    public var eventType: String?
}
