/// Starts and stops the Kafka protocol server; the executable provides it, so the shell stays
/// free of networking.
public protocol BrokerListener: AnyObject {
    /// Where it listens, while it does.
    var address: String? { get }
    /// How many clients are connected now.
    var clients: Int { get }
    /// Starts listening on 127.0.0.1:`port`; returns the address.
    func listen(port: Int) throws -> String
    /// Stops listening.
    func stop() throws
}
