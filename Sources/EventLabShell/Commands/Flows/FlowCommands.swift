import EventLabCore
import EventLabPatterns

/// How the services run: by themselves after each command, or a record at a time.
enum FlowCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [FlowManual.self, FlowAuto.self, Step.self, FlowExport.self]
}

/// `flow manual`.
struct FlowManual: ShellCommand {
    static let spec = CommandSpec(
        path: ["flow", "manual"], arguments: [], options: [],
        summary: "Stop services and tables from reading by themselves; `step` then moves one record at a time.",
        teaches: "In a real system consumers run all the time, so an event crosses several services before you can look. Manual flow holds them still: each `step` delivers one record to one service and says what it emitted, so you can watch an event travel and see lag build up between steps.",
        examples: ["flow manual", "flow manual; publish orders {\"type\":\"OrderPlaced\",\"id\":\"o-1\"}; step"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        guard shell.flows.mode != .manual else { return shell.say("flow is already manual: `step` delivers the next record, `flow auto` lets everything run") }
        try shell.changeFlows { $0.mode = .manual }
        shell.say("flow is manual: services wait; `step` delivers one record, `step 5` five, `flow auto` lets them run")
    }
}

/// `flow auto`.
struct FlowAuto: ShellCommand {
    static let spec = CommandSpec(
        path: ["flow", "auto"], arguments: [], options: [],
        summary: "Let services and tables read by themselves again, after every command.",
        teaches: "After each command every table, then every running service by name, reads what it has not read yet, in rounds, until nothing is left: on the logical clock the same commands always give the same output. On the system clock they also keep up with records real clients produce (`listen`) while you are idle, their lines shown before the next prompt, and `eventlab serve` runs them whenever records arrive, as services run all the time in a real system.",
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
        summary: "Deliver the next record (or N records) to a service and say what it did.",
        teaches: "One record, one reaction: `billing ← orders p0 @3 OrderPlaced → payments p1 @2 PaymentRequested` reads as billing consumed offset 3 of partition 0 of orders, an OrderPlaced, and produced a PaymentRequested at offset 2 of partition 1 of payments. The next step may deliver that new record to the service that reads payments. Services take turns by name; tables catch up before each step.",
        examples: ["step", "step 3"])

    let count: String?

    init(_ words: Invocation) { count = words.argument(0) }

    func run(in shell: Shell) throws {
        guard shell.flows.mode == .manual else {
            throw ShellError("services already read after every command: say `flow manual` first, then `step`")
        }
        let count = try self.count.map { try shell.number($0, for: "step", atLeast: 1) } ?? 1
        guard !shell.flows.isEmpty else {
            throw ShellError("there are no services or tables to step: create one with `service create NAME --from TOPIC` or `table create NAME --from TOPIC`")
        }
        for done in 0..<count {
            let before = shell.flows
            let stepped = shell.flows.step(shell.broker, members: shell.serviceMembers)
            for line in TableText.caughtUp(before.tables, shell.flows.tables) { shell.say(line) }
            let folded = AggregateText.caughtUp(before.aggregates, shell.flows.aggregates)
            for line in folded { shell.say(line) }
            guard let report = stepped else {
                if !folded.isEmpty { return }
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
        summary: "Print the commands that define the services and tables, as a script.",
        teaches: "A flow is code: its definition is a handful of commands, kept with the workspace and rebuilt after a restart. Its state is not in the script: each service's position is its consumer group's committed offset, and each table is rebuilt from its topic — the log is the source of truth.",
        examples: ["flow export"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let lines = FlowScript.lines(shell.flows)
        guard !lines.isEmpty else { return shell.say("nothing to export: there are no services or tables yet") }
        for line in lines { shell.say(line) }
    }
}
