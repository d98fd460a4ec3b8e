/// A transcript that cannot be read: the line (1-based) and what is wrong there.
public struct TranscriptError: Error, Equatable, CustomStringConvertible {
    /// The line the problem is on.
    public let line: Int
    /// What is wrong, and what would be right.
    public let message: String

    /// An error at `line`.
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
