import EventLabCore
import EventLabPatterns

/// A command that could not run: what was wrong and what would be right.
public struct ShellError: Error, Equatable, CustomStringConvertible {
    /// The sentence shown after `error:`.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension ShellError {
    /// The sentence to show after `error:` for any error: a shell or broker error's own
    /// message, else the error's description.
    public static func message(of error: any Error) -> String {
        (error as? ShellError)?.message ?? (error as? BrokerError)?.message ?? (error as? FlowError)?.message ?? "\(error)"
    }
}
