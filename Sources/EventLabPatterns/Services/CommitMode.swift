/// When a service commits a record's offset, which decides what a crash costs.
public enum CommitMode: String, Sendable, CaseIterable {
    /// After the record's emissions are produced: a crash in between replays the record, so it
    /// may be handled twice (at-least-once). The default.
    case after
    /// Before the record is handled: a crash in between loses it (at-most-once).
    case before
}

/// Where a service reads each record's event type.
public enum EventTypeSource: Sendable, Equatable, CustomStringConvertible {
    /// A top-level field of the JSON value; `type` by default.
    case field(String)
    /// A header, such as CloudEvents' `ce_type`.
    case header(String)

    public var description: String {
        switch self {
        case .field(let name): "$.\(name)"
        case .header(let name): "header \(name)"
        }
    }
}
