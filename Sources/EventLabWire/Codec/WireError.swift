/// A request that cannot be answered: the connection is closed, as Kafka does.
public struct WireError: Error, Equatable, CustomStringConvertible {
    /// What was wrong, for the log.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
