import Synchronization

/// Where each broker of the cluster listens, as clients are told to reach it: Kafka's advertised
/// listeners, one per broker. The server fills it in as it binds ports and empties a broker's
/// entry when it stops listening for that broker; Metadata and FindCoordinator read it.
public final class BrokerAddresses: Sendable {
    /// A broker's host and port.
    public struct Address: Hashable, Sendable {
        /// The host clients connect to.
        public var host: String
        /// The port clients connect to.
        public var port: Int32

        /// `host:port`.
        public init(host: String, port: Int32) {
            self.host = host
            self.port = port
        }
    }

    private let addresses: Mutex<[Int32: Address]>

    /// No broker listening yet.
    public init() { addresses = Mutex([:]) }

    /// Broker `id` alone, at `host:port`.
    public convenience init(_ id: Int32, host: String, port: Int32) {
        self.init()
        set(id, Address(host: host, port: port))
    }

    /// Broker `id` listens at `address` from now on; nil: it listens nowhere.
    public func set(_ id: Int32, _ address: Address?) {
        addresses.withLock { $0[id] = address }
    }

    /// Where broker `id` listens, if it does.
    public func address(of id: Int32) -> Address? {
        addresses.withLock { $0[id] }
    }

    /// Every broker listening, by id.
    public var all: [Int32: Address] { addresses.withLock { $0 } }
}
