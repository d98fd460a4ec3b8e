/// A lesson file that cannot be read: the file, the line (1-based; nil for the file name
/// itself), and what is wrong there and what would be right.
public struct LessonError: Error, Equatable, CustomStringConvertible {
    /// The file name as it was given.
    public let file: String
    /// The line the problem is on, or nil when it is the file name.
    public let line: Int?
    /// What is wrong, and what would be right.
    public let message: String

    /// An error in `file` at `line`.
    public init(file: String, line: Int?, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
    }
}
