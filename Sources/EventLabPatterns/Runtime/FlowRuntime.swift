import EventLabCore

/// Runs services against a broker on the logical clock: ``drain(_:tables:)`` lets every
/// service read until none has a record left.
///
/// Each service is a real member of the consumer group named after it, so its committed
/// offsets, and its lag, are what `group describe` shows. A service reads each partition it is
/// assigned from the group's committed offset; a group that never committed starts at the log
/// start (Kafka's `auto.offset.reset=earliest`), as does one whose offset retention has since
/// deleted.
public struct FlowRuntime: Sendable {
    /// Records a service asks a partition for at a time.
    static let readRecords = 1_000
    /// The services, by name: the order a drain runs them in, so a drain is deterministic.
    public private(set) var services: [String: Service] = [:]
    /// Rounds after which a drain stops with a warning.
    public var roundLimit: Int

    /// A runtime running `services`.
    public init(services: [Service] = [], roundLimit: Int = 10_000) {
        for service in services { self.services[service.name] = service }
        self.roundLimit = roundLimit
    }

    /// Adds `service`, or replaces the one of its name.
    public mutating func add(_ service: Service) { services[service.name] = service }

    /// Lets every service read what it has not read yet, in rounds: in each round each service,
    /// by name, reads up to ``readRecords`` from each of its partitions, reacts to each record,
    /// produces the emissions, and commits per its ``CommitMode``. Records emitted into a topic
    /// another service reads are read by it in a later round of the same drain. The drain ends
    /// when a round reads nothing, or after ``roundLimit`` rounds with a warning.
    ///
    /// A poison record stops its service at that record for the rest of the drain: with
    /// `.after` the group's committed offset stays on it, so its lag shows; with `.before` its
    /// offset was committed before the reaction, so the next drain goes on after it (at-most-once).
    /// With a dead-letter topic the dead letter is produced instead and the service goes on.
    public func drain(_ broker: Broker, tables: (any ExpressionTables)? = nil) -> DrainReport {
        var runners = services.keys.sorted().map { ServiceRunner(service: services[$0]!, broker: broker) }
        var rounds = 0
        var warning: String?
        while true {
            var read = 0
            for index in runners.indices { read += runners[index].round(tables: tables) }
            if read == 0 { break }
            rounds += 1
            if rounds == roundLimit {
                let busy = runners.filter { $0.hasUnread() }.map(\.report.name)
                if !busy.isEmpty {
                    warning = "the drain stopped after \(roundLimit) rounds with records still unread by \(busy.joined(separator: ", ")): services that emit into each other's topics never run out"
                }
                break
            }
        }
        for runner in runners { runner.member.leave() }
        return DrainReport(services: runners.map(\.report), rounds: rounds, warning: warning)
    }
}
