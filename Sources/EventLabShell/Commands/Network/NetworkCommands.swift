/// Serving the broker to real Kafka clients.
enum NetworkCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [Listen.self, StopListening.self]

    /// `127.0.0.1:9092` with its port marked as varying (`Varying`): `listen 0` takes any free one,
    /// and a port given may be taken on another machine.
    static func shown(_ address: String) -> String {
        guard let colon = address.lastIndex(of: ":") else { return address }
        return address[...colon] + Varying.mark(String(address[address.index(after: colon)...]), as: .port)
    }
}

/// `listen [PORT]`.
struct Listen: ShellCommand {
    static let spec = CommandSpec(
        path: ["listen"], arguments: [ArgumentSpec("PORT", .number, optional: true)], options: [],
        summary: "Serve this broker to real Kafka clients on 127.0.0.1.",
        teaches: "EventLab speaks Kafka's wire protocol: kcat, kafka-python, confluent-kafka and your own apps can produce and consume here while you watch their topics, groups and lag with `show`.",
        examples: ["listen", "listen 19092"])

    /// The port used when none is given: Kafka's.
    static let defaultPort = 9092

    let port: String?

    init(_ words: Invocation) { port = words.argument(0) }

    func run(in shell: Shell) throws {
        guard let listener = shell.listener else { throw ShellError("listen does not run here: a transcript's session (verify, replay) serves no Kafka clients; run it in the REPL") }
        let port = try self.port.map { try shell.number($0, for: "PORT") } ?? Self.defaultPort
        if let address = listener.address {
            // Already serving where the learner asks, or anywhere (`listen 0`): nothing to change.
            let shown = NetworkCommands.shown(address)
            let current = address.lastIndex(of: ":").flatMap { Int(address[address.index(after: $0)...]) }
            guard self.port == nil || port == 0 || port == current else {
                throw ShellError("already listening on \(shown), not \(port): `listen stop` first, then `listen \(port)`")
            }
            return shell.say("already listening on \(shown): clients connect there; `listen stop` stops serving")
        }
        guard port <= 65535 else { throw ShellError("PORT must be 0 to 65535, not \(port)") }
        let address = NetworkCommands.shown(try listener.listen(port: port))
        shell.say("listening on \(address): try `kcat -b \(address) -L`; `show` and `group describe` follow the clients live")
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
        guard let listener = shell.listener, let address = listener.address else { throw ShellError("not listening: `listen` starts serving") }
        try listener.stop()
        shell.say("stopped listening on \(NetworkCommands.shown(address))")
    }
}
