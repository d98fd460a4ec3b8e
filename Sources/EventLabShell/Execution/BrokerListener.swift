/// Starts and stops the Kafka protocol server; the executable provides it, so the shell stays
/// free of networking.
public protocol BrokerListener: AnyObject {
    /// Where it listens, while it does.
    var address: String? { get }

    /// Starts listening on 127.0.0.1:`port`; returns the address.
    func listen(port: Int) throws -> String
    /// Stops listening.
    func stop() throws
    /// Serves the shell's broker of now, on the port it listens on, which stays open; closes the
    /// connections open, as they hold the old broker's state, and returns how many.
    func follow() -> Int
}
