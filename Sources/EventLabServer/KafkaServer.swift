import EventLabCore
import EventLabWire
import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The embedded broker on a TCP port, speaking Kafka's protocol to real clients.
///
/// Requests on one connection are answered one at a time, in order, as Kafka does; a parked
/// JoinGroup or long-poll Fetch holds only its own connection. The event loops only read, decode
/// and write; requests are answered on a pool of request threads (``RequestHandlerPool``), so
/// one waiting for the disk holds back no other connection. A malformed frame closes that
/// connection, never the broker. ``ConnectionLimits`` bound what clients can make it hold:
/// connections, idle time, and the memory of requests being read.
public final class KafkaServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port the server listens on (useful with port 0).
    public let port: Int
    /// The host the server is bound to.
    public let host: String

    /// Starts listening on `host:port` (port 0 picks a free port).
    ///
    /// - Parameters:
    ///   - advertisedPort: the port clients are told to connect to (Kafka's `advertised.listeners`),
    ///     for a proxy in front of the server; nil tells them the port the server is bound to.
    ///   - threads: the event loops, which read and write the sockets (Kafka's network threads).
    ///   - requestThreads: the threads that answer requests (Kafka's `num.io.threads`, 8 by default);
    ///     0 answers them on the event loops themselves, one thread for everything, as tests may want.
    ///   - log: receives a line for each connection closed because of a bad request or a limit.
    public static func start(
        broker: Broker, host: String = "127.0.0.1", port: Int = 9092, advertisedPort: Int? = nil, threads: Int = 2, requestThreads: Int = 8,
        limits: ConnectionLimits = ConnectionLimits(), log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> KafkaServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let addresses = BrokerAddresses()
        let connections = ConnectionCount()
        let pool = RequestMemoryPool(capacity: limits.queuedMaxRequestBytes)
        let requests = RequestHandlerPool(threads: requestThreads)
        let served = Served(KafkaAPI(broker: broker, nodeId: 1, addresses: addresses))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard connections.open(max: limits.maxConnections) else {
                    log("refusing \(channel.remoteAddress.map { "\($0)" } ?? "a connection"): \(limits.maxConnections) connections are open (max.connections)")
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connections.close() }
                let api = served.admit(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        IdleStateHandler(allTimeout: .milliseconds(min(limits.connectionsMaxIdleMs, ConnectionLimits.maxIdleMs))),
                        KafkaConnectionHandler(api: api, limits: limits, pool: pool, requests: requests, log: log))
                }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? requests.stop()
            try? group.syncShutdownGracefully()
            if let failure = error as? IOError, failure.errnoCode == EADDRINUSE { throw AddressInUse(host: host, port: port) }
            throw error
        }
        let actualPort = channel.localAddress?.port ?? port
        addresses.set(1, BrokerAddresses.Address(host: host, port: Int32(advertisedPort ?? actualPort)))
        return KafkaServer(group: group, requests: requests, channel: channel, port: actualPort, host: host, served: served, addresses: addresses)
    }

    private let served: Served
    private let addresses: BrokerAddresses
    private let requests: RequestHandlerPool

    private init(
        group: MultiThreadedEventLoopGroup, requests: RequestHandlerPool, channel: any Channel, port: Int, host: String, served: Served,
        addresses: BrokerAddresses
    ) {
        self.group = group
        self.requests = requests
        self.channel = channel
        self.port = port
        self.host = host
        self.served = served
        self.addresses = addresses
    }

    /// Serves `broker` from now on, on the same port, which stays open. The connections open now
    /// are closed: what they began (group membership, fetches waiting) lives in the broker they
    /// spoke to, so their clients reconnect to the new one and begin again.
    ///
    /// - Returns: how many connections were closed.
    public func serve(_ broker: Broker) -> Int {
        let (old, open) = served.replace(with: KafkaAPI(broker: broker, nodeId: 1, addresses: addresses))
        old.stop()
        for channel in open { channel.close(promise: nil) }
        return open.count
    }

    /// Cancels the work the server parked (delayed fetches, group replies of its connections),
    /// so that nothing is answered onto its event loops once they stop; then stops listening,
    /// lets the requests being answered finish, closes every connection, and stops the threads.
    /// The request threads stop first, while the event loops can still take their answers.
    public func stop() throws {
        served.api.stop()
        try? channel.close().wait()
        let requestsStopped = Result { try requests.stop() }
        try group.syncShutdownGracefully()
        try requestsStopped.get()
    }
}

/// The API new connections are answered by, and the connections open on it.
private final class Served: Sendable {
    private let state: Mutex<(api: KafkaAPI, open: [ObjectIdentifier: any Channel])>

    init(_ api: KafkaAPI) { state = Mutex((api, [:])) }

    var api: KafkaAPI { state.withLock { $0.api } }

    /// The API for `channel`, kept among the open connections until it closes.
    func admit(_ channel: any Channel) -> KafkaAPI {
        let id = ObjectIdentifier(channel)
        channel.closeFuture.whenComplete { _ in
            self.state.withLock { state in
                if state.open[id] === channel { state.open[id] = nil }
            }
        }
        return state.withLock { state in
            state.open[id] = channel
            return state.api
        }
    }

    /// Answers new connections with `api`; returns the API before and the connections open on it.
    func replace(with api: KafkaAPI) -> (old: KafkaAPI, open: [any Channel]) {
        state.withLock { state in
            let old = (state.api, Array(state.open.values))
            state = (api, [:])
            return old
        }
    }
}

/// The connections open now, counted against `max.connections`.
private final class ConnectionCount: Sendable {
    private let count = Atomic(0)

    /// Counts one more connection if fewer than `max` are open.
    func open(max: Int) -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < max {
            let (exchanged, original) = count.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Counts one connection fewer.
    func close() { count.subtract(1, ordering: .acquiringAndReleasing) }
}
