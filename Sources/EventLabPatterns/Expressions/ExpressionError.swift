/// An expression that does not parse: the column where it went wrong and what was expected.
public struct ExpressionSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based column (in characters) of the offending token.
    public var column: Int
    /// What was expected and what was found.
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// `at column 12: expected a value after `+`, found `}``.
    public var description: String { "at column \(column): \(message)" }
}

/// An expression that parsed but has no value for one record: a missing field, a type error, a
/// number that does not fit, an unknown table. The engine turns it into a poison record; it is
/// never a trap.
public struct EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure: `default(x, fallback)` recovers from `.missing` only.
    public enum Kind: Hashable, Sendable {
        /// A field, header, key or table entry the record does not have.
        case missing
        /// An operator or function given a value of the wrong kind.
        case type
        /// An exact number that does not fit, or a division by zero.
        case number
        /// The record's value is not JSON where the expression reads it.
        case invalidRecord
        /// A table lookup failed for a reason other than a missing key.
        case table
        /// A call named a service or query that does not exist.
        case call
        /// A called service could not answer now (it is stopped): not the record's fault, so the
        /// caller waits at the record instead of treating it as poison.
        case unavailable(service: String, query: String, reason: String)
    }

    /// What kind of failure.
    public var kind: Kind
    /// The 1-based column of the part of the expression that failed.
    public var column: Int
    /// What was wrong and what would be right.
    public var message: String

    public init(_ kind: Kind, column: Int, _ message: String) {
        self.kind = kind
        self.column = column
        self.message = message
    }

    public var description: String { "at column \(column): \(message)" }
}
