/// Serving the broker to real Kafka clients.
enum NetworkCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [Listen.self, StopListening.self]

    /// `127.0.0.1:9092` with its port marked as varying (`Varying`): `listen 0` takes any free one,
    /// and a port given may be taken on another machine.
    static func shown(_ address: String) -> String {
        guard let colon = address.lastIndex(of: ":") else { return address }
        return address[...colon] + Varying.mark(String(address[address.index(after: colon)...]), as: .port)
    }

    /// `127.0.0.1:9093 (broker 2)`, its port marked.
    static func shown(_ address: ListenerAddress) -> String {
        "\(shown(address.address)) (broker \(address.broker))"
    }

    /// Where the listener listens, as ``ListenerText/addresses(_:cluster:)`` says it, in `shell`'s cluster.
    static func shown(_ addresses: [ListenerAddress], in shell: Shell) -> String {
        ListenerText.addresses(addresses, cluster: shell.isCluster)
    }
}

/// How the REPL and `eventlab serve` say where the cluster's brokers listen.
public enum ListenerText {
    /// `127.0.0.1:9092` for a broker alone; `127.0.0.1:9092 (broker 1), 127.0.0.1:9093 (broker 2)`
    /// for the brokers of a cluster; ports marked as varying (`Varying.plain` takes the marks away).
    public static func addresses(_ addresses: [ListenerAddress], cluster: Bool) -> String {
        if addresses.isEmpty { return "no port: every broker is down, and `broker start N` opens its port" }
        if addresses.count == 1, !cluster { return NetworkCommands.shown(addresses[0].address) }
        return addresses.map { NetworkCommands.shown($0) }.joined(separator: ", ")
    }
}

/// `listen [PORT]`.
struct Listen: ShellCommand {
    static let spec = CommandSpec(
        path: ["listen"], arguments: [ArgumentSpec("PORT", .number, optional: true)], options: [],
        summary: "Serve the broker (each of a cluster's, on its own port) to real Kafka clients on 127.0.0.1.",
        teaches: "EventLab speaks Kafka's wire protocol: kcat, kafka-python, confluent-kafka and your own apps can produce and consume here while you watch their topics, groups and lag with `show`. As in the seed's cluster (9092, 9093, 9094), each broker gets its own port, broker N on PORT + N - 1 (`listen 0` gives each a free port), and answers as that broker: a stopped broker's port closes with its connections, and opens again when it starts.",
        examples: ["listen", "listen 0", "listen 19092"])

    /// The port used when none is given: Kafka's.
    static let defaultPort = 9092

    let port: String?

    init(_ words: Invocation) { port = words.argument(0) }

    func run(in shell: Shell) throws {
        guard let listener = shell.listener else { throw ShellError("listen does not run here: a transcript's session (verify, replay) serves no Kafka clients; run it in the REPL") }
        let port = try self.port.map { try shell.number($0, for: "PORT") } ?? Self.defaultPort
        if let addresses = listener.addresses {
            // Already serving where the learner asks, or anywhere (`listen 0`): nothing to change.
            let shown = NetworkCommands.shown(addresses, in: shell)
            let current = addresses.first.flatMap { first in
                first.address.lastIndex(of: ":").flatMap { Int(first.address[first.address.index(after: $0)...]) }.map { $0 - Int(first.broker) + 1 }
            }
            guard self.port == nil || port == 0 || port == current else {
                throw ShellError("already listening on \(shown), not \(port): `listen stop` first, then `listen \(port)`")
            }
            return shell.say("already listening on \(shown): clients connect there; `listen stop` stops serving")
        }
        guard port <= 65535 else { throw ShellError("PORT must be 0 to 65535, not \(port)") }
        let addresses = try listener.listen(port: port)
        let bootstrap = addresses.map { NetworkCommands.shown($0.address) }.joined(separator: ",")
        shell.say("listening on \(NetworkCommands.shown(addresses, in: shell)): try `kcat -b \(bootstrap) -L`; `show` and `group describe` follow the clients live")
    }
}

/// `listen stop`.
struct StopListening: ShellCommand {
    static let spec = CommandSpec(
        path: ["listen", "stop"], arguments: [], options: [],
        summary: "Stop serving Kafka clients.",
        teaches: "Clients lose their connection; their committed offsets stay.",
        examples: ["listen stop", "listen; listen stop"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        guard let listener = shell.listener, let addresses = listener.addresses else { throw ShellError("not listening: `listen` starts serving") }
        try listener.stop()
        shell.say("stopped listening on \(NetworkCommands.shown(addresses, in: shell))")
    }
}
