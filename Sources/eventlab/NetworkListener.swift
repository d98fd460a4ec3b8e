import CAllocator
import EventLabCore
import EventLabServer
import EventLabShell

/// `listen` on the REPL's own broker: a Kafka protocol server on loopback.
final class NetworkListener: BrokerListener {
    /// The broker to serve when listening starts: the shell's, which a lesson switches.
    private let broker: () -> Broker
    private var server: KafkaServer?

    init(broker: @escaping () -> Broker) {
        self.broker = broker
    }

    var address: String? { server.map { "\($0.host):\($0.port)" } }

    func listen(port: Int) throws -> String {
        // As in `serve`: clients' fetches and produces allocate megabyte buffers, and mapping
        // fresh pages for each contends with whatever else the process faults in (a compaction).
        callocator_keep_freed_memory()
        do {
            let server = try KafkaServer.start(broker: broker(), host: "127.0.0.1", port: port)
            self.server = server
            return "\(server.host):\(server.port)"
        } catch let taken as AddressInUse {
            throw ShellError("\(taken): pick another port, or 0 for a free one")
        } catch {
            throw ShellError("cannot listen on 127.0.0.1:\(port) (\(error)): is another broker there? try another port")
        }
    }

    func follow() -> Int {
        server?.serve(broker()) ?? 0
    }

    func stop() throws {
        try server?.stop()
        server = nil
    }
}
