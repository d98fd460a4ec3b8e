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
    /// The tables reactions look values up in, by name; each round brings them up to date first.
    public var tables: [String: Table]
    /// Services that do not run but may be called: a call to one fails as to a stopped service.
    public var stopped: [String: Service]
    /// Services that run but read nothing (they have no rules): a call to one is answered.
    public var idle: [String: Service]
    /// Rounds after which a drain stops with a warning.
    public var roundLimit: Int
    /// Crashes armed per service, by name: each stops its service on its next record.
    public var crashes: [String: CrashPoint]

    /// A runtime running `services`, with `tables` to look values up in.
    public init(
        services: [Service] = [], tables: [Table] = [], stopped: [Service] = [], idle: [Service] = [],
        roundLimit: Int = 1_000, crashes: [String: CrashPoint] = [:]
    ) {
        self.crashes = crashes
        self.idle = Dictionary(idle.map { ($0.name, $0) }) { _, last in last }
        for service in services { self.services[service.name] = service }
        self.stopped = Dictionary(stopped.map { ($0.name, $0) }) { _, last in last }
        self.tables = Dictionary(tables.map { ($0.name, $0) }) { _, last in last }
        self.roundLimit = roundLimit
    }

    /// Adds `service`, or replaces the one of its name.
    public mutating func add(_ service: Service) { services[service.name] = service }

    /// Lets every table and service read what it has not read yet, in rounds: in each round
    /// every table catches up with its topic, then each service,
    /// by name, reads up to ``readRecords`` from each of its partitions, reacts to each record,
    /// produces the emissions, and commits per its ``CommitMode``. Records emitted into a topic
    /// another service reads are read by it in a later round of the same drain. The drain ends
    /// when a round reads nothing, or after ``roundLimit`` rounds with a warning.
    ///
    /// A poison record stops its service at that record for the rest of the drain: with
    /// `.after` the group's committed offset stays on it, so its lag shows; with `.before` its
    /// offset was committed before the reaction, so the next drain goes on after it (at-most-once).
    /// With a dead-letter topic the dead letter is produced instead and the service goes on.
    ///
    /// A service with a crash armed in ``crashes`` reads its next record alone and stops there,
    /// just before or after committing it (see ``CrashPoint``).
    ///
    /// Each service reads through its member in `members`, kept from drain to drain: every
    /// running service is a member of its group at the drain's start, and reads only the
    /// partitions the group gave it (none while it rebalances).
    ///
    /// Up to `traceBudget` records are described one by one in the report's trace.
    ///
    /// `isInterrupted` (Ctrl-C at the REPL) ends the drain after the round it is asked in, with a
    /// warning naming the services left with records; the next drain goes on from there.
    public mutating func drain(_ broker: Broker, members: ServiceMembers, traceBudget: Int = 0, isInterrupted: () -> Bool = { false }) -> DrainReport {
        let names = services.keys.sorted()
        let groupMembers = names.map { members.member(for: services[$0]!, on: broker) }
        var runners: [ServiceRunner?] = Array(repeating: nil, count: names.count)
        var trace = FlowTrace(budget: traceBudget)
        var tableProblems: [String: String] = [:]
        let calls = CallLedger()
        var rounds = 0
        var warning: String?
        while true {
            var read = catchUpTables(broker, problems: &tableProblems)
            var context = context(calls)
            for (index, name) in names.enumerated() {
                if runners[index] == nil {
                    guard ServiceRunner.hasUnread(services[name]!, in: broker) else { continue }
                    runners[index] = ServiceRunner(service: services[name]!, member: groupMembers[index], crash: crashes[name])
                }
                context.caller = name
                read += runners[index]!.round(tables: context, trace: &trace)
            }
            if read == 0 { break }
            rounds += 1
            if isInterrupted() {
                let busy = runners.compactMap { $0 }.filter { $0.hasUnread() }.map(\.report.name)
                if !busy.isEmpty {
                    warning = "the drain stopped at Ctrl-C after \(rounds) round\(rounds == 1 ? "" : "s") with records still unread by \(busy.joined(separator: ", ")); they go on after the next command, or `service stop` one of them"
                }
                break
            }
            if rounds == roundLimit {
                let busy = runners.compactMap { $0 }.filter { $0.hasUnread() }.map(\.report.name)
                if !busy.isEmpty {
                    warning = "the drain stopped after \(roundLimit) rounds with records still unread by \(busy.joined(separator: ", ")): services that emit into each other's topics never run out; `service stop` one of them, or `flow manual` to step through the loop"
                }
                break
            }
        }
        let ran = runners.compactMap { $0 }
        return DrainReport(
            services: ran.map(\.report), rounds: rounds, warning: warning, trace: trace, tableProblems: tableProblems,
            calls: calls.all)
    }

    /// What reactions look up in this round: the tables as they stand, and every service's queries.
    private func context(_ calls: CallLedger) -> FlowContext {
        var callees: [String: (service: Service, isRunning: Bool)] = [:]
        for (name, service) in stopped { callees[name] = (service, false) }
        for (name, service) in idle { callees[name] = (service, true) }
        for (name, service) in services { callees[name] = (service, true) }
        return FlowContext(tables: tables, callees: callees, calls: calls)
    }

    /// Brings every table up to date; returns the records they read. A table that cannot read
    /// its topic keeps what it has, and the reason is kept in `problems`.
    private mutating func catchUpTables(_ broker: Broker, problems: inout [String: String]) -> Int {
        var read = 0
        for name in tables.keys.sorted() {
            do throws(BrokerError) {
                read += try tables[name]!.catchUp(from: broker).recordsRead
            } catch where error.code == .offsetOutOfRange {
                // The topic was deleted and created again: its old records are gone, so the copy
                // is built again from the new topic's start, as a consumer resets past the end.
                let table = tables[name]!
                tables[name] = Table(name: table.name, topic: table.topic)
                read += (try? tables[name]!.catchUp(from: broker).recordsRead) ?? 0
                problems[name] = "was rebuilt from the start of \(table.topic): the topic was deleted and created again"
            } catch {
                problems[name] = "could not read its topic: \(error.message); create the topic again, or `table delete \(name)`"
            }
        }
        return read
    }

    /// Delivers one record: the next of the first service, by name, that has one unread, read
    /// from its first partition, by topic and partition, that has one. Nil when no service has
    /// a record to read.
    ///
    /// Tables are brought up to date first: they are not stepped.
    public mutating func step(_ broker: Broker, members: ServiceMembers) -> DrainReport? {
        var trace = FlowTrace(budget: 1)
        var tableProblems: [String: String] = [:]
        _ = catchUpTables(broker, problems: &tableProblems)
        let calls = CallLedger()
        var context = context(calls)
        for name in services.keys.sorted() where ServiceRunner.hasUnread(services[name]!, in: broker) {
            context.caller = name
            var runner = ServiceRunner(service: services[name]!, member: members.member(for: services[name]!, on: broker), crash: crashes[name])
            let stepped = runner.step(tables: context, trace: &trace)
            if stepped {
                return DrainReport(
                    services: [runner.report], rounds: 1, warning: nil, trace: trace, tableProblems: tableProblems,
                    calls: calls.all)
            }
        }
        return nil
    }
}
