/// Why a goal's text is not a goal: where it goes wrong and what would be right there.
public struct GoalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based column of the word that is wrong, or one past the end when a word is missing.
    public let column: Int
    /// What is wrong and what would be right, such as `expected an operator (==, !=, <, <=, >, >=)`.
    public let message: String

    /// An error at `column` saying `message`.
    public init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "column \(column): \(message)" }
}
