/// Starts and stops the Kafka protocol server, one port per live broker; the executable
/// provides it, so the shell stays free of networking.
public protocol BrokerListener: AnyObject {
    /// Where each live broker listens, by ascending id, while listening; nil while not.
    var addresses: [ListenerAddress]? { get }

    /// Starts listening on 127.0.0.1: broker i on `port` + i - 1 (port 0: free ports); returns
    /// where each live broker listens.
    func listen(port: Int) throws -> [ListenerAddress]
    /// Stops listening.
    func stop() throws
    /// Serves the shell's broker of now, on the ports it listens on, which stay open for its
    /// brokers; closes the connections open, as they hold the old broker's state, and returns
    /// how many. A port it cannot open for a broker of the new one is among the ``changes()``.
    func follow() -> Int
    /// What happened to the brokers' ports since last asked, as brokers stopped and started.
    func changes() -> [ListenerChange]
}

/// Where one broker listens: `127.0.0.1:9093` for broker 2.
public struct ListenerAddress: Equatable, Sendable {
    /// The broker's id.
    public var broker: Int32
    /// Its host and port.
    public var address: String

    /// Broker `broker`, listening at `address`.
    public init(broker: Int32, address: String) {
        self.broker = broker
        self.address = address
    }
}

/// What happened to a broker's port while listening.
public enum ListenerChange: Equatable, Sendable {
    /// The broker listens now; `again` when it listened before.
    case opened(ListenerAddress, again: Bool)
    /// The broker went down: its port closed, and the connections open on it, `connections` of them.
    case closed(ListenerAddress, connections: Int)
    /// The broker came up, but its port could not be opened, for `reason`.
    case unbound(ListenerAddress, reason: String)
}
