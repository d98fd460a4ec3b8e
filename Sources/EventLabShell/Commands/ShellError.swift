/// A command that could not run: what was wrong and what would be right.
public struct ShellError: Error, Equatable, CustomStringConvertible {
    /// The sentence shown after `error:`.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
