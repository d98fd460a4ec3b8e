import EventLabCore
import EventLabPatterns

/// How the services, tables, aggregates and projections run: by themselves after each command,
/// or a record at a time.
enum FlowCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [FlowManual.self, FlowAuto.self, Step.self, FlowExport.self]
}

/// `flow manual`.
struct FlowManual: ShellCommand {
    static let spec = CommandSpec(
        path: ["flow", "manual"], arguments: [], options: [],
        summary: "Stop services, tables, aggregates and projections from reading by themselves; `step` then moves one record at a time.",
        teaches: "In a real system consumers run all the time, so an event crosses several services before you can look. Manual flow holds them still: each `step` delivers one record to one service, or to one projection once no service has any, and says what it emitted or changed, so you can watch an event travel — a command's events too, from `send` to each read model — and see lag build up between steps (`show flow`). Aggregates and tables wait as well, and catch up at each step. A `send` still validates against its aggregate's state and appends (it reads the aggregate up to date itself), and inline projections still catch up before it returns.",
        examples: ["flow manual", "flow manual; publish orders {\"type\":\"OrderPlaced\",\"id\":\"o-1\"}; step"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        guard shell.flows.mode != .manual else { return shell.say("flow is already manual: `step` delivers the next record, `flow auto` lets everything run") }
        try shell.changeFlows { $0.mode = .manual }
        if shell.isCluster {
            return shell.say("flow is manual: services wait and followers fetch only when you step; `step` runs one follower fetch or delivers one record, `step 5` five, `flow auto` lets them run")
        }
        shell.say("flow is manual: services wait; `step` delivers one record, `step 5` five, `flow auto` lets them run")
    }
}

/// `flow auto`.
struct FlowAuto: ShellCommand {
    static let spec = CommandSpec(
        path: ["flow", "auto"], arguments: [], options: [],
        summary: "Let services, tables, aggregates and projections read by themselves again, after every command.",
        teaches: "After each command every table, then every running service by name, reads what it has not read yet, in rounds, until nothing is left, and then every aggregate and running projection catches up with it all: on the logical clock the same commands always give the same output. On the system clock they also keep up with records real clients produce (`listen`) while you are idle, their lines shown before the next prompt, and `eventlab serve` runs them whenever records arrive, as services run all the time in a real system.",
        examples: ["flow auto"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        guard shell.flows.mode != .auto else { return shell.say("flow is already automatic: services read after every command") }
        try shell.changeFlows { $0.mode = .auto }
        shell.say("flow is automatic: services read after every command")
    }
}

/// `step [N]`.
struct Step: ShellCommand {
    static let spec = CommandSpec(
        path: ["step"], arguments: [ArgumentSpec("N", .number, optional: true)], options: [],
        summary: "Deliver the next record (or N records) to a service or projection, or run a follower fetch, and say what it did.",
        teaches: "One record, one reaction: `billing ← orders p0 @3 OrderPlaced → payments p1 @2 PaymentRequested` reads as billing consumed offset 3 of partition 0 of orders, an OrderPlaced, and produced a PaymentRequested at offset 2 of partition 1 of payments. The next step may deliver that new record to the service that reads payments. Services take turns by name; once none has a record left, projections do, one record each step: `balances ← accounts p0 @3 Withdrawn → put a-1` is the change the record made to the read model, so a command's events reach each read model one at a time and `show flow` shows the lag shrink. Tables and aggregates catch up at each step. On a cluster a step runs a follower fetch first, while any follower has something to copy: `broker 2 fetched orders p0 @5…@6 from leader 1` moves the high watermark and may acknowledge an acks=all write waiting for it.",
        examples: ["step", "step 3"])

    let count: String?

    init(_ words: Invocation) { count = words.argument(0) }

    func run(in shell: Shell) throws {
        guard shell.flows.mode == .manual else {
            throw ShellError(shell.isCluster
                ? "followers fetch and services read after every command: say `flow manual` first, then `step`"
                : "services already read after every command: say `flow manual` first, then `step`")
        }
        let count = try self.count.map { try shell.number($0, for: "step", atLeast: 1) } ?? 1
        guard !shell.flows.isEmpty || shell.isCluster else {
            throw ShellError("there are no services, tables, aggregates or projections to step: create one with `service create NAME --from TOPIC`, `projection create NAME --from TOPIC` or `table create NAME --from TOPIC`")
        }
        for done in 0..<count {
            // Replication first: a follower fetch is the unit of work that acknowledges writes.
            if shell.isCluster, let fetch = shell.broker.stepReplication() {
                shell.say(ReplicaFetchText.line(fetch))
                shell.say(events: fetch.events)
                continue
            }
            guard !shell.flows.isEmpty else {
                return shell.say(done == 0 ? "nothing to do: every running follower has fetched all its leader has, and there are no services, tables, aggregates or projections" : "nothing more to do after \(done) step\(done == 1 ? "" : "s")")
            }
            let before = shell.flows
            let stepped = shell.flows.step(shell.broker, members: shell.serviceMembers)
            let copied = TableText.caughtUp(before.tables, shell.flows.tables)
            for line in copied { shell.say(line) }
            let folded = AggregateText.caughtUp(before.aggregates, shell.flows.aggregates)
            for line in folded { shell.say(line) }
            guard let report = stepped else {
                // A step that only brought tables or aggregates up to date delivered that.
                if !copied.isEmpty || !folded.isEmpty { return }
                return shell.say(done == 0 ? "nothing to deliver: every running service\(shell.flows.projections.isEmpty ? "" : " and projection") has read all its records" : "nothing more to deliver after \(done) step\(done == 1 ? "" : "s")")
            }
            shell.tellDrain(report, before: before)
            // A service that tried again the record it waits at, and waits still, moved nothing.
            if let stuck = report.services.first(where: { $0.stop != nil && $0.stop == before.services[$0.name]?.stop }),
               let stop = stuck.stop, let place = stop.record {
                return shell.say("nothing delivered: service \(stuck.name) still waits at \(FlowText.place(place)): \(stop.reason)")
            }
        }
    }
}

/// `flow export`.
struct FlowExport: ShellCommand {
    static let spec = CommandSpec(
        path: ["flow", "export"], arguments: [], options: [],
        summary: "Print the commands that define the services, tables, aggregates, projections and commands, as a script.",
        teaches: "A flow is code: its definition is a handful of commands, kept with the workspace and rebuilt after a restart. Its state is not in the script: each service's and projection's position is its consumer group's committed offset, each table and aggregate is rebuilt from its topic (an aggregate from its newest snapshot under the same rules), and each read model replayed up to its group's offsets — the log is the source of truth. Topics are not in the script: to build the same flows in a fresh workspace, create their topics first (`topic list` and `topic describe` show their settings).",
        examples: ["flow export"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let lines = FlowScript.lines(shell.flows)
        guard !lines.isEmpty else { return shell.say("nothing to export: there are no services, tables, aggregates, projections or commands yet") }
        for line in lines { shell.say(line) }
    }
}
