import ArgumentParser
import CAllocator
import EventLabServer
import EventLabShell
import Foundation

/// `eventlab serve`: the broker for real Kafka clients, without a REPL.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the workspace to Kafka clients (kcat, kafka-python, confluent-kafka, your own apps).",
        discussion: "Each broker of the workspace listens on its own port: broker N on PORT + N - 1 (9092, 9093, 9094 for three). The first line on standard output says where they listen; logs go to standard error. The workspace's services and tables run as records arrive for them and say what they did on standard output. Ctrl-C or SIGTERM stops it cleanly.")

    @OptionGroup var session: SessionOptions

    @Option(help: "The port broker 1 listens on, broker N on PORT + N - 1; 0 picks a free one for each.")
    var port = 9092

    @Option(help: "The address to listen on (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "The port clients are told to connect to, when a proxy or port forward sits in front (Kafka's advertised.listeners), broker N's being this + N - 1; the listening ports by default.")
    var advertisedPort: Int?

    @Option(help: "Connections open at once (Kafka's max.connections); one more is closed at once.")
    var maxConnections = ConnectionLimits().maxConnections

    @Option(help: "Close a connection after this many milliseconds with nothing read or written (Kafka's connections.max.idle.ms).")
    var idleTimeoutMs = ConnectionLimits().connectionsMaxIdleMs

    @Option(help: "Bytes of requests held across all connections (Kafka's queued.max.request.bytes); past it, connections wait.")
    var maxQueuedRequestBytes = ConnectionLimits().queuedMaxRequestBytes

    func validate() throws {
        if let advertisedPort, !(1...65535).contains(advertisedPort) {
            throw ValidationError("--advertised-port must be 1 to 65535, not \(advertisedPort)")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1, not \(maxConnections)") }
        guard (1...ConnectionLimits.maxIdleMs).contains(idleTimeoutMs) else {
            throw ValidationError("--idle-timeout-ms must be 1 to \(ConnectionLimits.maxIdleMs), not \(idleTimeoutMs)")
        }
        guard maxQueuedRequestBytes >= 1 else {
            throw ValidationError("--max-queued-request-bytes must be at least 1, not \(maxQueuedRequestBytes)")
        }
    }

    func run() throws {
        // Keep freed large buffers in the heap instead of returning them to the kernel: each
        // fetch and produce allocates megabyte buffers, and fresh pages cost a fault and zeroing
        // each time (measured: about 40% of the broker's CPU while kcat consumed).
        callocator_keep_freed_memory()
        Self.raiseOpenFileLimit()
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let opened = try session.open()
        // Background work (scheduled cleaning) is logged as it happens: there is no prompt to wait for.
        opened.broker.notices.deliver { notice in
            for line in NoticeText.lines(notice) {
                FileHandle.standardError.write(Data("\(line.isWarning ? "warning: " : "")\(line.text)\n".utf8))
            }
        }
        let server: KafkaServer
        do {
            var limits = ConnectionLimits()
            limits.maxConnections = maxConnections
            limits.connectionsMaxIdleMs = idleTimeoutMs
            limits.queuedMaxRequestBytes = maxQueuedRequestBytes
            server = try KafkaServer.start(
                broker: opened.broker, host: host, port: port, advertisedPort: advertisedPort, limits: limits
            ) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        } catch let taken as AddressInUse {
            // A taken port is a plain fact with one remedy, not a misuse of the command: one
            // line and exit 1, without the usage a bad argument gets.
            try? opened.close()
            FileHandle.standardError.write(Data("\(taken): pick another with --port, or --port 0 for a free one\n".utf8))
            throw ExitCode.failure
        } catch let past as PortPastLastPort {
            try? opened.close()
            FileHandle.standardError.write(Data("cannot listen on \(host):\(port): \(past)\n".utf8))
            throw ExitCode.failure
        } catch {
            try? opened.close()
            throw ValidationError("cannot listen on \(host):\(port): \(error)")
        }
        let addresses = NetworkListener.addresses(server.listening)
        let listening = Varying.plain(ListenerText.addresses(addresses, cluster: opened.broker.brokerIds.count > 1))
        FileHandle.standardOutput.write(Data("listening on \(listening)\n".utf8))
        // The workspace's services and tables run too: a Kafka engineer expects a service to
        // keep working when only the server runs.
        let shell = Shell(broker: opened.broker, logicalClock: opened.logicalClock, output: StandardOutput())
        shell.flowStore = opened.flowStore
        shell.runsUnattended = true
        let received = ServedFlows.run(shell, signals: signals)
        shell.leaveGroups()
        FileHandle.standardError.write(Data("stopping (signal \(received))\n".utf8))
        try server.stop()
        try opened.close()
    }

    /// Lifts the soft limit on open files to the hard one. Every connection holds a descriptor
    /// and `max.connections` allows 1,000, but a login's soft limit is often 1,024: past it,
    /// connections would hang unanswered and segment files would fail to open, long before
    /// `max.connections` refuses anyone. Kafka's documentation asks for a high limit; the hard
    /// limit is the most a process may take without privileges.
    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}
