/// Starts and stops the Kafka protocol server; the executable provides it, so the shell stays
/// free of networking.
public protocol BrokerListener: AnyObject {
    /// Where it listens, while it does.
    var address: String? { get }
    /// Starts listening on 127.0.0.1:`port`; returns the address.
    func listen(port: Int) throws -> String
    /// Stops listening.
    func stop() throws
}

extension Shell {
    /// The port `listen` uses when none is given: Kafka's.
    static let defaultPort = 9092

    func listen(_ invocation: Invocation) throws {
        guard let listener else { throw ShellError("this EventLab cannot serve Kafka clients") }
        if let address = listener.address { throw ShellError("already listening on \(address); `listen stop` first") }
        let port = try invocation.argument(0).map { try number($0, for: "PORT") } ?? Self.defaultPort
        guard port <= 65535 else { throw ShellError("PORT must be 0 to 65535, not \(port)") }
        let address = try listener.listen(port: port)
        say("listening on \(address): try `kcat -b \(address) -L`; `show` and `group describe` follow the clients live")
    }

    func stopListening() throws {
        guard let listener, let address = listener.address else { throw ShellError("not listening: `listen` starts serving") }
        try listener.stop()
        say("stopped listening on \(address)")
    }
}
