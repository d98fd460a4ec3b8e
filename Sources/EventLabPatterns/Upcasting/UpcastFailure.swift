/// An upcaster that failed on a record, and why. The record's reader treats it as it treats its
/// own failures: a service's poison, an aggregate's failed fold, a projection's failed record.
public struct UpcastFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The number of the upcaster that failed.
    public var upcaster: Int
    /// What went wrong, and where in the upcaster.
    public var reason: String

    public init(upcaster: Int, reason: String) {
        self.upcaster = upcaster
        self.reason = reason
    }

    /// `upcaster 2: the template at column 17: the event has no field $.amount`.
    public var description: String { "upcaster \(upcaster): \(reason)" }
}

/// A change to the upcasters that cannot be made, with what would be right.
public struct UpcastError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
