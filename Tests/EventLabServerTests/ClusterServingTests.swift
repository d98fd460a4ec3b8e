import EventLabCore
@testable import EventLabServer
@testable import EventLabWire
import Synchronization
import Testing

/// A cluster served as Kafka's is: each live broker on its own port, answering as that broker.
@Suite("Serving a cluster")
struct ClusterServingTests {
    /// What the server said about its ports as the brokers changed.
    final class Changes: Sendable {
        let seen = Mutex<[ServedBrokerChange]>([])
        let logged = Mutex<[String]>([])

        func take() -> [ServedBrokerChange] {
            seen.withLock { seen in
                defer { seen = [] }
                return seen
            }
        }
    }

    static func cluster(_ brokers: Int = 3) throws -> Broker {
        try Broker(cluster: MemoryCluster(brokers: brokers), waker: nil)
    }

    static func start(_ broker: Broker, port: Int = 0, changes: Changes = Changes()) throws -> KafkaServer {
        try KafkaServer.start(
            broker: broker, port: port, threads: 1, requestThreads: 1, log: { line in changes.logged.withLock { $0.append(line) } },
            changed: { more in changes.seen.withLock { $0 += more } })
    }

    /// Whether a client on `port` gets an ApiVersions answer.
    static func answers(_ port: Int) -> Bool {
        guard let client = try? ClientSocket(port: port) else { return false }
        return answers(client)
    }

    static func answers(_ client: ClientSocket) -> Bool {
        client.send(frame(key: .apiVersions, version: 0, correlation: 5))
        guard let answer = try? client.receive() else { return false }
        var reader = WireReader(answer)
        return (try? reader.integer(Int32.self)) == 5
    }

    static func ports(_ server: KafkaServer) -> [Int32: Int] {
        Dictionary(uniqueKeysWithValues: server.listening.map { ($0.id, $0.port) })
    }

    @Test("each broker gets a port of its own, every one answering, and clients are told all three")
    func threePorts() throws {
        let server = try Self.start(try Self.cluster())
        defer { try? server.stop() }
        let ports = Self.ports(server)
        #expect(ports.keys.sorted() == [1, 2, 3])
        #expect(Set(ports.values).count == 3)
        for port in ports.values { #expect(Self.answers(port), "port \(port)") }
        #expect(server.addresses.all == ports.mapValues { BrokerAddresses.Address(host: "127.0.0.1", port: Int32($0)) })
        #expect(server.port == ports[1])
    }

    /// The brokers a Metadata v1 answer through `port` lists, with their ports.
    static func metadataBrokers(through port: Int) throws -> [Int32: Int] {
        let client = try ClientSocket(port: port)
        client.send(frame(key: .metadata, version: 1) { $0.array([String]()) { $0.string($1) } })
        var reader = WireReader(try client.receive())
        _ = try reader.integer(Int32.self)  // correlation id
        var brokers: [Int32: Int] = [:]
        for _ in 0..<(try reader.integer(Int32.self)) {
            let id = try reader.integer(Int32.self)
            _ = try reader.string()  // host
            brokers[id] = Int(try reader.integer(Int32.self))
            _ = try reader.nullableString()  // rack
        }
        return brokers
    }

    @Test("Metadata through any broker's port lists every live broker at its own port")
    func metadataThroughEachPort() throws {
        let broker = try Self.cluster()
        let server = try Self.start(broker)
        defer { try? server.stop() }
        let ports = Self.ports(server)
        for port in ports.values { #expect(try Self.metadataBrokers(through: port) == ports, "through \(port)") }
        _ = try broker.stopBroker(2)
        var left = ports
        left[2] = nil
        for port in left.values { #expect(try Self.metadataBrokers(through: port) == left, "through \(port)") }
    }

    @Test("broker i listens on the base port + i - 1, and is advertised at the advertised base + i - 1")
    func consecutivePorts() throws {
        // A base found free a moment ago: the two ports after it are almost surely free too.
        let probe = try Self.start(try Broker())
        let base = probe.port
        try probe.stop()
        let server = try KafkaServer.start(broker: try Self.cluster(), port: base, advertisedPort: 19092, threads: 1)
        defer { try? server.stop() }
        #expect(Self.ports(server) == [1: base, 2: base + 1, 3: base + 2])
        #expect(server.addresses.all.mapValues(\.port) == [1: 19092, 2: 19093, 3: 19094])
        for port in base...base + 2 { #expect(Self.answers(port), "port \(port)") }
    }

    @Test("a stopped broker's port and connections close while the others serve on; started again, it listens on the same port")
    func stopAndStart() throws {
        let broker = try Self.cluster()
        let changes = Changes()
        let server = try Self.start(broker, changes: changes)
        defer { try? server.stop() }
        let ports = Self.ports(server)
        let onTwo = try ClientSocket(port: ports[2]!)
        let onOne = try ClientSocket(port: ports[1]!)
        let onThree = try ClientSocket(port: ports[3]!)
        #expect(Self.answers(onTwo) && Self.answers(onOne) && Self.answers(onThree))

        _ = try broker.stopBroker(2)
        #expect(changes.take() == [.closed(ServedBroker(id: 2, host: "127.0.0.1", port: ports[2]!), connections: 1)])
        #expect(throws: ClientSocket.Failure.self) { try onTwo.receive() }
        #expect(throws: ClientSocket.Failure.self) { try ClientSocket(port: ports[2]!) }
        #expect(Self.answers(onOne) && Self.answers(onThree), "the other brokers' connections stay open")
        #expect(server.addresses.all.keys.sorted() == [1, 3])
        #expect(Self.ports(server) == [1: ports[1]!, 3: ports[3]!])

        _ = try broker.startBroker(2)
        #expect(changes.take() == [.opened(ServedBroker(id: 2, host: "127.0.0.1", port: ports[2]!), again: true)])
        #expect(Self.ports(server) == ports)
        #expect(Self.answers(ports[2]!))
        #expect(server.addresses.address(of: 2)?.port == Int32(ports[2]!))
    }

    @Test("a crashed broker closes its port as a stopped one; a paused one keeps serving; an added one gets a port")
    func killPauseAdd() throws {
        let broker = try Self.cluster()
        let changes = Changes()
        let server = try Self.start(broker, changes: changes)
        defer { try? server.stop() }
        let ports = Self.ports(server)
        _ = try broker.killBroker(3)
        #expect(changes.take() == [.closed(ServedBroker(id: 3, host: "127.0.0.1", port: ports[3]!), connections: 0)])
        try broker.pauseBroker(2)
        #expect(changes.take() == [])
        #expect(Self.answers(ports[2]!))
        let added = try broker.addBroker()
        let opened = changes.take()
        #expect(opened.count == 1)
        guard case .opened(let served, again: false) = opened.first else { Issue.record("\(opened)"); return }
        #expect(served.id == added)
        #expect(Self.answers(served.port))
    }

    @Test("a broker come up whose port is taken is reported, not a crash; the others serve on")
    func portTaken() throws {
        let broker = try Self.cluster()
        let changes = Changes()
        let server = try Self.start(broker, changes: changes)
        defer { try? server.stop() }
        let ports = Self.ports(server)
        _ = try broker.stopBroker(2)
        _ = changes.take()
        let squatter = try Self.start(try Broker(), port: ports[2]!)
        defer { try? squatter.stop() }
        _ = try broker.startBroker(2)
        let taken = ServedBroker(id: 2, host: "127.0.0.1", port: ports[2]!)
        #expect(changes.take() == [.unbound(taken, reason: "127.0.0.1:\(ports[2]!) is in use")])
        #expect(changes.logged.withLock { $0 }.contains("broker 2 cannot listen on 127.0.0.1:\(ports[2]!): 127.0.0.1:\(ports[2]!) is in use"))
        #expect(server.addresses.address(of: 2) == nil)
        #expect(Self.answers(ports[1]!) && Self.answers(ports[3]!))
    }

    @Test("a port that still cannot be bound is told once, not again at each later change of the brokers; again once its broker comes up anew")
    func portTakenToldOnce() throws {
        let broker = try Self.cluster()
        let changes = Changes()
        let server = try Self.start(broker, changes: changes)
        defer { try? server.stop() }
        let ports = Self.ports(server)
        _ = try broker.stopBroker(2)
        let squatter = try Self.start(try Broker(), port: ports[2]!)
        defer { try? squatter.stop() }
        _ = try broker.startBroker(2)
        let taken = ServedBroker(id: 2, host: "127.0.0.1", port: ports[2]!)
        #expect(changes.take().last == .unbound(taken, reason: "127.0.0.1:\(ports[2]!) is in use"))
        try broker.pauseBroker(3)
        _ = try broker.resumeBroker(3)
        _ = try broker.stopBroker(3)
        _ = try broker.startBroker(3)
        let three = ServedBroker(id: 3, host: "127.0.0.1", port: ports[3]!)
        #expect(changes.take() == [.closed(three, connections: 0), .opened(three, again: true)])
        #expect(changes.logged.withLock { $0 }.filter { $0.hasPrefix("broker 2 cannot listen") }.count == 1)
        _ = try broker.stopBroker(2)
        _ = try broker.startBroker(2)
        #expect(changes.take() == [.unbound(taken, reason: "127.0.0.1:\(ports[2]!) is in use")])
    }

    @Test("serving another workspace whose broker's port cannot be bound tells it, as a change of the brokers does")
    func followAnotherPortTaken() throws {
        let probe = try Self.start(try Broker())
        let base = probe.port
        try probe.stop()
        let changes = Changes()
        let server = try Self.start(try Broker(), port: base, changes: changes)
        defer { try? server.stop() }
        let squatter = try Self.start(try Broker(), port: base + 1)
        defer { try? squatter.stop() }
        _ = server.serve(try Self.cluster(2))
        let taken = ServedBroker(id: 2, host: "127.0.0.1", port: base + 1)
        #expect(changes.take() == [.unbound(taken, reason: "127.0.0.1:\(base + 1) is in use")])
    }

    @Test("ports past 65535 fail the start, saying broker N listens on the port + N - 1 and how high the port can be")
    func pastLastPort() throws {
        #expect(throws: PortPastLastPort(base: 65534, broker: 3, brokers: 3)) {
            try KafkaServer.start(broker: try Self.cluster(), port: 65534, threads: 1)
        }
        #expect("\(PortPastLastPort(base: 65535, broker: 2, brokers: 3))"
            == "broker 2 listens on port 65535 + 2 - 1 = 65536, past 65535, the last TCP port: with 3 brokers the port can be at most 65533")
        #expect("\(PortPastLastPort(base: 70000, broker: 1, brokers: 1))" == "port 70000 is past 65535, the last TCP port")
    }

    @Test("a port taken at start fails the start, leaving nothing listening")
    func takenAtStart() throws {
        let squatter = try Self.start(try Broker())
        defer { try? squatter.stop() }
        #expect(throws: AddressInUse(host: "127.0.0.1", port: squatter.port)) {
            try KafkaServer.start(broker: try Self.cluster(), port: squatter.port - 1, threads: 1)
        }
        #expect(!Self.answers(squatter.port - 1))
    }

    @Test("serving a broker alone closes the other brokers' ports; serving the cluster again reopens them where they were")
    func followAnother() throws {
        let cluster = try Self.cluster()
        let server = try Self.start(cluster)
        defer { try? server.stop() }
        let ports = Self.ports(server)
        let onThree = try ClientSocket(port: ports[3]!)
        #expect(Self.answers(onThree))
        #expect(server.serve(try Broker()) == 1)
        #expect(Self.ports(server) == [1: ports[1]!])
        #expect(server.addresses.all.keys.sorted() == [1])
        #expect(Self.answers(ports[1]!))
        // The connection just made may not be closed on the server's side yet: not counted here.
        _ = server.serve(cluster)
        #expect(Self.ports(server) == ports)
        for port in ports.values { #expect(Self.answers(port), "port \(port)") }
    }

    @Test("a broker alone listens on one port, as before")
    func alone() throws {
        let server = try Self.start(try Broker())
        defer { try? server.stop() }
        #expect(server.listening == [ServedBroker(id: 1, host: "127.0.0.1", port: server.port)])
        #expect(Self.answers(server.port))
    }
}
