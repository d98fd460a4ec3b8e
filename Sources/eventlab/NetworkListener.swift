import CAllocator
import EventLabCore
import EventLabServer
import EventLabShell
import Synchronization

/// `listen` on the REPL's own broker: a Kafka protocol server on loopback, one port per broker.
final class NetworkListener: BrokerListener {
    /// The broker to serve when listening starts: the shell's, which a lesson switches.
    private let broker: () -> Broker
    private var server: KafkaServer?
    private let pending = PendingChanges()

    init(broker: @escaping () -> Broker) {
        self.broker = broker
    }

    var addresses: [ListenerAddress]? { server.map { Self.addresses($0.listening) } }

    func listen(port: Int) throws -> [ListenerAddress] {
        // As in `serve`: clients' fetches and produces allocate megabyte buffers, and mapping
        // fresh pages for each contends with whatever else the process faults in (a compaction).
        callocator_keep_freed_memory()
        let pending = self.pending
        do {
            let server = try KafkaServer.start(
                broker: broker(), host: "127.0.0.1", port: port, changed: { changes in pending.add(changes.map(Self.change)) })
            self.server = server
            return Self.addresses(server.listening)
        } catch let taken as AddressInUse {
            throw ShellError("\(taken): pick another port, or 0 for a free one")
        } catch let past as PortPastLastPort {
            throw ShellError("cannot listen on 127.0.0.1:\(port): \(past)")
        } catch {
            throw ShellError("cannot listen on 127.0.0.1:\(port) (\(error)): is another broker there? try another port")
        }
    }

    func follow() -> Int {
        // What changed for the old broker is past; a port the new one cannot have is told after.
        _ = pending.take()
        return server?.serve(broker()) ?? 0
    }

    func changes() -> [ListenerChange] { pending.take() }

    func stop() throws {
        try server?.stop()
        server = nil
        _ = pending.take()
    }

    static func addresses(_ served: [ServedBroker]) -> [ListenerAddress] {
        served.map(address)
    }

    private static func address(_ served: ServedBroker) -> ListenerAddress {
        ListenerAddress(broker: served.id, address: "\(served.host):\(served.port)")
    }

    private static func change(_ change: ServedBrokerChange) -> ListenerChange {
        switch change {
        case .opened(let served, let again): .opened(address(served), again: again)
        case .closed(let served, let connections): .closed(address(served), connections: connections)
        case .unbound(let served, let reason): .unbound(address(served), reason: reason)
        }
    }
}

/// What the server said about the brokers' ports, from whichever thread changed the brokers,
/// until the shell asks.
private final class PendingChanges: Sendable {
    private let changes = Mutex<[ListenerChange]>([])

    func add(_ more: [ListenerChange]) { changes.withLock { $0 += more } }

    func take() -> [ListenerChange] {
        changes.withLock { changes in
            defer { changes = [] }
            return changes
        }
    }
}
