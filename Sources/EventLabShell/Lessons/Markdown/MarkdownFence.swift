/// A fence opening a code block: three or more backticks at the start of a line, then an
/// optional language. It is closed by a line of at least as many backticks and nothing else.
public struct MarkdownFence: Equatable, Sendable {
    /// How many backticks opened it.
    public let length: Int
    /// The word after the backticks (`eventlab`, `sh`), or empty.
    public let language: String

    /// The fence `line` opens, if it opens one.
    public init?(opening line: Substring) {
        let length = line.prefix { $0 == "`" }.count
        guard length >= 3 else { return nil }
        let rest = line.dropFirst(length)
        guard !rest.contains("`") else { return nil }
        self.length = length
        language = rest.trimmingSpaces
    }

    /// Whether `line` closes this fence.
    public func isClosed(by line: Substring) -> Bool {
        let trimmed = line.trimmingSpaces
        return trimmed.count >= length && trimmed.allSatisfy { $0 == "`" }
    }
}
