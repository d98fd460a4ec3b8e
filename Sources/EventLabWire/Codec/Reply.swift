/// What the server does with one request once it is answered.
public enum Reply: Sendable {
    /// Sends this body.
    case send(ResponseBody)
    /// Sends nothing: a successful acks=0 Produce.
    case nothing
    /// Sends nothing and closes the connection, as Kafka does when an acks=0 Produce fails: the
    /// client, which reads no answer, learns of the error only so, and refreshes its metadata.
    case closeConnection

    /// The body sent, if any: for tests and tools.
    public var body: ResponseBody? {
        if case .send(let body) = self { body } else { nil }
    }
}
