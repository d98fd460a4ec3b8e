import EventLabCore

/// Everything a learner has built: services and tables, whether each runs, and where each
/// stopped. A value: the shell keeps one, changes a copy, saves its definitions, then keeps the
/// copy, so a command that fails changes nothing.
///
/// A drain (``drain(_:traceBudget:)``) or a step (``step(_:)``) reads the broker and produces
/// into it; everything else here is pure.
public struct Flows: Sendable {
    /// Whether services drain by themselves after each command, or only on `step`.
    public enum Mode: String, Sendable {
        /// They drain after each command: the default.
        case auto
        /// They wait for `step`, which delivers one record at a time.
        case manual
    }

    /// A service with where it stands.
    public struct ServiceSlot: Sendable {
        public var service: Service
        /// False after `service stop`, until `service start`.
        public var isRunning = true
        /// Where it stopped on its own, until it goes on: a poison record waits for
        /// `service skip` or `service start`, a failed call for the next drain.
        public var stop: ServiceStop?
        /// What it has done since the session began.
        public var totals = ServiceTotals()
        /// A crash armed by `service crash`, which its next record sets off. A one-off drill, so
        /// it is not saved: a workspace reopened has none armed.
        public var crash: CrashPoint?

        /// Whether it runs, answering calls: unless stopped by hand, on a poison record or by a crash.
        public var isActive: Bool { isRunning && stop?.kind != .poison && stop?.kind != .crashed }

        /// Whether a drain lets it read: it is active and has a rule, for a service without one
        /// would read its records and do nothing with them.
        public var isReading: Bool { isActive && !service.rules.isEmpty }
    }

    public var mode: Mode = .auto
    /// The services, by name.
    public internal(set) var services: [String: ServiceSlot] = [:]
    /// The tables, by name.
    public internal(set) var tables: [String: Table] = [:]
    /// The aggregates, by name: state per key folded from a topic (event sourcing).
    public internal(set) var aggregates: [String: AggregateSlot] = [:]
    /// The projections, by name: read models built from topics (the read side of CQRS).
    public internal(set) var projections: [String: ProjectionSlot] = [:]
    /// The commands, by name: the write side of CQRS, validated against aggregates. Their own
    /// namespace: a command is sent, never read from, so it may share a name with anything else.
    public internal(set) var commands: [String: Command] = [:]
    /// What each command's sends came to this session, by command name.
    public internal(set) var commandTotals: [String: CommandTotals] = [:]
    /// The upcasters every service, aggregate and projection reads events through.
    public internal(set) var upcasters = Upcasters()
    /// Rounds after which a drain stops with a warning.
    public var roundLimit = 1_000
    /// Saved definition lines that did not run when the workspace opened, with why: kept, as
    /// comments, in what is saved next, so that no definition is ever dropped without a trace.
    public var leftOut: [(line: String, reason: String)] = []
    /// The tables that could not read their topic in the last drain, with why.
    public internal(set) var tableProblems: [String: String] = [:]
    /// The calls services made to each other since the session began, per caller and callee.
    public internal(set) var calls: [CallEdge: CallCount] = [:]

    /// No services and no tables, draining after each command.
    public init() {}

    /// True when nothing has been built.
    public var isEmpty: Bool { services.isEmpty && tables.isEmpty && aggregates.isEmpty && projections.isEmpty }

    /// The service named `name`, or an error listing the services there are.
    public func service(_ name: String) throws(FlowError) -> ServiceSlot {
        guard let slot = services[name] else { throw FlowError.noSuchService(name, known: services.keys.sorted()) }
        return slot
    }

    /// Adds `service`; a name already used by a service or a table is refused.
    public mutating func add(_ service: Service) throws(FlowError) {
        try checkFree(service.name)
        services[service.name] = ServiceSlot(service: inForce(service))
    }

    /// Changes the definition of the service named `name`.
    public mutating func change(_ name: String, _ change: (inout Service) throws(ServiceError) -> Void) throws(FlowError) {
        var slot = try service(name)
        do throws(ServiceError) {
            try change(&slot.service)
        } catch {
            throw FlowError(message: error.message)
        }
        services[name] = slot
    }

    /// Stops or starts the service named `name`. Starting clears where it stopped, so a
    /// poison record is tried again.
    public mutating func setRunning(_ name: String, _ running: Bool) throws(FlowError) {
        var slot = try service(name)
        slot.isRunning = running
        if running { slot.stop = nil }
        services[name] = slot
    }

    /// Arms a crash at `point` that the service named `name` sets off on its next record.
    public mutating func arm(_ name: String, _ point: CrashPoint) throws(FlowError) {
        var slot = try service(name)
        slot.crash = point
        services[name] = slot
    }

    /// Forgets where the service stopped on its own.
    public mutating func clearStop(_ name: String) throws(FlowError) {
        var slot = try service(name)
        slot.stop = nil
        services[name] = slot
    }

    /// Removes the service named `name`; its consumer group and offsets stay in the broker.
    public mutating func removeService(_ name: String) throws(FlowError) {
        _ = try service(name)
        services[name] = nil
    }

    /// Adds `table`; a name already used by a service or a table is refused.
    public mutating func add(_ table: Table) throws(FlowError) {
        try checkFree(table.name)
        tables[table.name] = table
    }

    /// Puts `table` in place of the table of its name.
    public mutating func replace(_ table: Table) throws(FlowError) {
        _ = try self.table(table.name)
        tables[table.name] = table
    }

    /// The table named `name`, or an error listing the tables there are.
    public func table(_ name: String) throws(FlowError) -> Table {
        guard let table = tables[name] else { throw FlowError.noSuchTable(name, known: tables.keys.sorted()) }
        return table
    }

    /// Removes the table named `name`.
    public mutating func removeTable(_ name: String) throws(FlowError) {
        _ = try table(name)
        tables[name] = nil
    }

    /// Refuses `name` when a service, table, aggregate or projection has it: they share one set
    /// of names, as services and projections name their consumer groups.
    func checkFree(_ name: String) throws(FlowError) {
        guard let kind = kind(of: name) else { return }
        throw FlowError(message: "there is already \(kind) named \(name): pick another name, or `\(kind.split(separator: " ").last!) delete \(name)` first")
    }

    /// What has the name `name`: "a service", "a table", "an aggregate" or "a projection"; nil
    /// when nothing has.
    public func kind(of name: String) -> String? {
        if services[name] != nil { return "a service" }
        if tables[name] != nil { return "a table" }
        if aggregates[name] != nil { return "an aggregate" }
        if projections[name] != nil { return "a projection" }
        return nil
    }
}

/// What a service has done since the session began, across drains and steps.
public struct ServiceTotals: Sendable, Equatable {
    public var read = 0
    /// The records its rules emitted; dead letters are counted in ``deadLettered`` alone.
    public var emitted = 0
    public var skipped = 0
    public var deadLettered = 0
    public var duplicates = 0

    public init() {}

    mutating func add(_ drain: ServiceDrain) {
        read += drain.recordsRead
        emitted += drain.emitted.values.reduce(0, +)
        skipped += drain.skipped
        deadLettered += drain.deadLettered
        duplicates += drain.duplicates
    }
}

/// A change to the flows that cannot be made, with what would be right.
public struct FlowError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }

    static func noSuchService(_ name: String, known: [String]) -> FlowError {
        FlowError(message: "there is no service named \(name): " + (known.isEmpty
            ? "there are no services yet; create one with `service create \(name) --from TOPIC`"
            : "the services are \(known.joined(separator: ", "))"))
    }

    static func noSuchTable(_ name: String, known: [String]) -> FlowError {
        FlowError(message: "there is no table named \(name): " + (known.isEmpty
            ? "there are no tables yet; create one with `table create \(name) --from TOPIC`"
            : "the tables are \(known.joined(separator: ", "))"))
    }
}
