import EventLabCore
import EventLabWire
import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The embedded cluster on TCP ports, speaking Kafka's protocol to real clients: each live
/// broker of the cluster listens on its own port and answers as that broker, as the brokers of
/// a real cluster do on their machines.
///
/// Requests on one connection are answered one at a time, in order, as Kafka does; a parked
/// JoinGroup or long-poll Fetch holds only its own connection. The event loops only read, decode
/// and write; requests are answered on a pool of request threads (``RequestHandlerPool``), so
/// one waiting for the disk holds back no other connection. A malformed frame closes that
/// connection, never the broker. ``ConnectionLimits`` bound what clients can make it hold:
/// connections, idle time, and the memory of requests being read, across all brokers' ports.
///
/// Broker id i listens on the base port + i - 1 (9092, 9093, 9094); with base port 0 each takes a
/// free port, kept for it, so a broker started again comes back where its clients knew it. When
/// a broker goes down its port and connections close; when it comes up, its port opens again.
public final class KafkaServer: Sendable {
    /// The host the server is bound to.
    public let host: String
    /// Where every broker listening is reached, as clients are told: what Metadata answers.
    public let addresses: BrokerAddresses
    private let basePort: Int
    private let advertisedBase: Int?
    private let group: MultiThreadedEventLoopGroup
    private let requests: RequestHandlerPool
    private let pool: RequestMemoryPool
    private let connections = ConnectionCount()
    private let limits: ConnectionLimits
    private let log: @Sendable (String) -> Void
    private let changed: @Sendable ([ServedBrokerChange]) -> Void
    /// Held while ports are bound and closed, which waits for the event loops; nothing on an
    /// event loop takes it.
    private let state: Mutex<State>

    private struct State {
        var broker: Broker
        var listening: [Int32: Listening] = [:]
        /// Every port a broker was bound on, kept after it stops: it comes back there.
        var ports: [Int32: Int] = [:]
        /// The brokers whose changes are watched already.
        var watched: [WeakBroker] = []
        /// Why each live broker's port could not be bound, as told: it is retried at each change
        /// of the brokers, but told again only when the reason changes or the broker comes up again.
        var unbound: [Int32: String] = [:]
        var stopped = false
    }

    private struct Listening {
        let channel: any Channel
        let served: Served
        let port: Int
    }

    private struct WeakBroker {
        weak var broker: Broker?
    }

    /// Starts listening on `host`, for each live broker of `broker`'s cluster, on `port` + its
    /// id - 1 (port 0: free ports).
    ///
    /// - Parameters:
    ///   - advertisedPort: the port clients are told to connect to for broker 1 (Kafka's
    ///     `advertised.listeners`), broker i's being this + i - 1, for a proxy in front of the
    ///     server; nil tells them the ports the server is bound to.
    ///   - threads: the event loops, which read and write the sockets (Kafka's network threads).
    ///   - requestThreads: the threads that answer requests (Kafka's `num.io.threads`, 8 by default);
    ///     0 answers them on the event loops themselves, one thread for everything, as tests may want.
    ///   - log: receives a line for each connection closed because of a bad request or a limit,
    ///     and for each broker come up whose port cannot be bound.
    ///   - changed: receives what happened to the brokers' ports each time the brokers change.
    /// - Throws: ``AddressInUse`` when a broker's port is taken, ``PortPastLastPort`` when one
    ///   would be past 65535; nothing is left listening.
    public static func start(
        broker: Broker, host: String = "127.0.0.1", port: Int = 9092, advertisedPort: Int? = nil, threads: Int = 2, requestThreads: Int = 8,
        limits: ConnectionLimits = ConnectionLimits(), log: @escaping @Sendable (String) -> Void = { _ in },
        changed: @escaping @Sendable ([ServedBrokerChange]) -> Void = { _ in }
    ) throws -> KafkaServer {
        let server = KafkaServer(
            broker: broker, host: host, port: port, advertisedPort: advertisedPort, threads: threads, requestThreads: requestThreads,
            limits: limits, log: log, changed: changed)
        let failures = server.state.withLock { state in server.reconcile(&state).failures }
        if let failure = failures.first {
            try? server.stop()
            throw failure.error
        }
        server.watch(broker)
        return server
    }

    private init(
        broker: Broker, host: String, port: Int, advertisedPort: Int?, threads: Int, requestThreads: Int, limits: ConnectionLimits,
        log: @escaping @Sendable (String) -> Void, changed: @escaping @Sendable ([ServedBrokerChange]) -> Void
    ) {
        self.host = host
        self.basePort = port
        self.advertisedBase = advertisedPort
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.requests = RequestHandlerPool(threads: requestThreads)
        self.pool = RequestMemoryPool(capacity: limits.queuedMaxRequestBytes)
        self.limits = limits
        self.log = log
        self.changed = changed
        self.addresses = BrokerAddresses()
        self.state = Mutex(State(broker: broker))
    }

    /// The port of the cluster's first broker (the lowest id that listened): the only one of a
    /// broker alone.
    public var port: Int {
        state.withLock { state in state.ports.min { $0.key < $1.key }?.value ?? basePort }
    }

    /// Where each broker listens now, by ascending id; a broker that is down listens nowhere.
    public var listening: [ServedBroker] {
        state.withLock { state in
            state.listening.keys.sorted().map { ServedBroker(id: $0, host: host, port: state.listening[$0]!.port) }
        }
    }

    /// Serves `broker` from now on: each port whose broker is live in it stays open and answers
    /// as that broker of it; the others close, and its live brokers not listening yet get their
    /// ports. The connections open now are closed: what they began (group membership, fetches
    /// waiting) lives in the broker they spoke to, so their clients reconnect to the new one and
    /// begin again. A port that cannot be bound for it is told to `changed`, as after a change
    /// of the brokers.
    ///
    /// - Returns: how many connections were closed.
    public func serve(_ broker: Broker) -> Int {
        let (closed, unbound) = state.withLock { state -> (Int, [ServedBrokerChange]) in
            guard !state.stopped else { return (0, []) }
            var closed = 0
            var unbound: [ServedBrokerChange] = []
            for (id, listening) in state.listening {
                let (old, open) = listening.served.replace(with: KafkaAPI(broker: broker, nodeId: id, addresses: addresses))
                old.stop()
                for channel in open { channel.close(promise: nil) }
                closed += open.count
            }
            state.broker = broker
            state.unbound = [:]
            for change in logged(reconcile(&state).changes) {
                if case .closed(_, let connections) = change { closed += connections }
                if case .unbound = change { unbound.append(change) }
            }
            return (closed, unbound)
        }
        if !unbound.isEmpty { changed(unbound) }
        watch(broker)
        return closed
    }

    /// Cancels the work the server parked (delayed fetches, group replies of its connections),
    /// so that nothing is answered onto its event loops once they stop; then stops listening,
    /// lets the requests being answered finish, closes every connection, and stops the threads.
    /// The request threads stop first, while the event loops can still take their answers.
    public func stop() throws {
        state.withLock { state in
            state.stopped = true
            for (id, listening) in state.listening {
                addresses.set(id, nil)
                listening.served.close().api.stop()
                try? listening.channel.close().wait()
            }
            state.listening = [:]
        }
        let requestsStopped = Result { try requests.stop() }
        try group.syncShutdownGracefully()
        try requestsStopped.get()
    }

    /// Reconciles the ports with `broker`'s brokers after each change to them, while it is the
    /// one served.
    private func watch(_ broker: Broker) {
        let watched = state.withLock { state in
            state.watched.removeAll { $0.broker == nil }
            guard !state.watched.contains(where: { $0.broker === broker }) else { return true }
            state.watched.append(WeakBroker(broker: broker))
            return false
        }
        guard !watched else { return }
        broker.whenBrokersChange { [weak self, weak broker] in
            guard let self, let broker else { return }
            let changes = state.withLock { state -> [ServedBrokerChange] in
                guard !state.stopped, state.broker === broker else { return [] }
                return logged(reconcile(&state).changes)
            }
            if !changes.isEmpty { changed(changes) }
        }
    }

    /// `changes`, each port that could not be bound logged.
    private func logged(_ changes: [ServedBrokerChange]) -> [ServedBrokerChange] {
        for case .unbound(let served, let reason) in changes {
            log("broker \(served.id) cannot listen on \(served.host):\(served.port): \(reason)")
        }
        return changes
    }

    /// Closes the port of each broker listening that is down in the broker served, and binds one
    /// for each live broker not listening; returns what changed, and why ports could not be bound.
    /// A port that still cannot be bound, for the same reason, is not a change.
    private func reconcile(_ state: inout State) -> (changes: [ServedBrokerChange], failures: [BindFailure]) {
        let brokers = state.broker.cluster().brokers
        let live = brokers.filter(\.condition.isAlive).map(\.id)
        state.unbound = state.unbound.filter { live.contains($0.key) }
        var changes: [ServedBrokerChange] = []
        var failures: [BindFailure] = []
        for id in state.listening.keys.sorted() where !live.contains(id) {
            let listening = state.listening.removeValue(forKey: id)!
            addresses.set(id, nil)
            let (api, open) = listening.served.close()
            api.stop()
            try? listening.channel.close().wait()
            for channel in open { channel.close(promise: nil) }
            changes.append(.closed(ServedBroker(id: id, host: host, port: listening.port), connections: open.count))
        }
        for id in live where state.listening[id] == nil {
            let again = state.ports[id] != nil
            let port = state.ports[id] ?? (basePort == 0 ? 0 : basePort + Int(id) - 1)
            let served = Served(KafkaAPI(broker: state.broker, nodeId: id, addresses: addresses))
            do throws(BindFailure) {
                guard port <= 65535 else {
                    throw BindFailure.pastLastPort(PortPastLastPort(base: basePort, broker: id, brokers: Int(brokers.map(\.id).max() ?? id)))
                }
                let channel = try bind(port: port, served: served)
                let bound = channel.localAddress?.port ?? port
                state.unbound[id] = nil
                state.listening[id] = Listening(channel: channel, served: served, port: bound)
                state.ports[id] = bound
                addresses.set(id, BrokerAddresses.Address(host: host, port: Int32(advertisedBase.map { $0 + Int(id) - 1 } ?? bound)))
                changes.append(.opened(ServedBroker(id: id, host: host, port: bound), again: again))
            } catch {
                failures.append(error)
                guard state.unbound[id] != "\(error)" else { continue }
                state.unbound[id] = "\(error)"
                changes.append(.unbound(ServedBroker(id: id, host: host, port: port), reason: "\(error)"))
            }
        }
        return (changes, failures)
    }

    /// A channel listening on `host:port` whose connections `served` answers.
    private func bind(port: Int, served: Served) throws(BindFailure) -> any Channel {
        let (connections, limits, log, pool, requests) = (connections, limits, log, pool, requests)
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
                guard let api = served.admit(channel) else { return channel.close() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        IdleStateHandler(allTimeout: .milliseconds(min(limits.connectionsMaxIdleMs, ConnectionLimits.maxIdleMs))),
                        KafkaConnectionHandler(api: api, limits: limits, pool: pool, requests: requests, log: log))
                }
            }
        do {
            return try bootstrap.bind(host: host, port: port).wait()
        } catch let failure as IOError where failure.errnoCode == EADDRINUSE {
            throw .inUse(AddressInUse(host: host, port: port))
        } catch {
            throw .other(error)
        }
    }
}

/// Why a broker's port could not be bound.
private enum BindFailure: Error, CustomStringConvertible {
    case inUse(AddressInUse)
    case pastLastPort(PortPastLastPort)
    case other(any Error)

    /// What ``KafkaServer/start(broker:host:port:advertisedPort:threads:requestThreads:limits:log:changed:)`` throws.
    var error: any Error {
        switch self {
        case .inUse(let taken): taken
        case .pastLastPort(let past): past
        case .other: self
        }
    }

    var description: String {
        switch self {
        case .inUse(let taken): "\(taken)"
        case .pastLastPort(let past): "\(past)"
        case .other(let error): "\(error)"
        }
    }
}
