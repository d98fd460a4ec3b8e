/// A rule definition that does not parse: the column where it went wrong and what was expected.
public struct RuleSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based column (in Unicode scalars, as expression errors count) in the rule's text.
    public var column: Int
    /// What was expected and what was found.
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// `at column 4: expected an event type after `on`, found the end of the rule`.
    public var description: String { "at column \(column): \(message)" }
}
