import EventLabCore
import EventLabPatterns

/// `service list`.
struct ServiceList: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "list"], arguments: [], options: [],
        summary: "List the services with what they read, their rules, state and lag.",
        teaches: "Each service is a consumer group: its lag is how far its committed offsets are behind the ends of the topics it reads, as `group list` shows.",
        examples: ["service list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let services = shell.flows.services.keys.sorted().map { shell.flows.services[$0]! }
        guard !services.isEmpty else { return shell.say("no services yet: `service create NAME --from TOPIC` creates one") }
        let rows = services.map { slot in
            [slot.service.name, slot.service.sources.joined(separator: ","), String(slot.service.rules.count),
             ServiceState.word(slot), String(ServiceState.lag(slot.service, in: shell.broker))]
        }
        shell.say(Table.render(header: ["SERVICE", "READS", "RULES", "STATE", "LAG"], rows: rows))
    }
}

/// `service describe NAME`.
struct ServiceDescribe: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "describe"], arguments: [ArgumentSpec("SERVICE", .service)], options: [],
        summary: "Show a service's settings, its numbered rules, where it stands and what it has done.",
        teaches: "A service's position is its consumer group's committed offset on each partition it reads; a new rule applies from there on.",
        examples: ["service describe billing"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.service(name)
        for line in slot.service.describe() { shell.say(line) }
        shell.say("  state: \(ServiceState.sentence(slot, mode: shell.flows.mode))")
        let totals = slot.totals
        let duplicates = slot.service.dedupe == nil ? "" : ", duplicates \(totals.duplicates)"
        shell.say("  this session: read \(totals.read), emitted \(totals.emitted), skipped \(totals.skipped), dead-lettered \(totals.deadLettered)\(duplicates)")
        if let crash = slot.crash { shell.say("  armed: a crash \(crash.phrase) on its next record") }
        guard let group = try? shell.broker.describeGroup(name), !group.partitions.isEmpty else {
            return shell.say("  position: the earliest offset of each partition (nothing committed yet)")
        }
        // In Kafka's words, as `group describe` has them: a committed offset is the next record to
        // read, not one read, so it is no `@N`.
        for partition in group.partitions {
            let place = "\(partition.topicPartition.topic) p\(partition.topicPartition.partition)"
            let committed = partition.committedOffset.map { "committed offset \($0)" } ?? "nothing committed"
            let lag = partition.lag.map { ", lag \($0)" } ?? ""
            shell.say("  position: \(place) \(committed), log-end offset \(partition.logEndOffset)\(lag)")
        }
    }
}

/// `service stop NAME`.
struct StopService: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "stop"], arguments: [ArgumentSpec("SERVICE", .service)], options: [],
        summary: "Stop a service: it reads nothing until started, and its lag grows.",
        teaches: "A stopped consumer loses nothing: events wait in the log, and it catches up from its committed offset when started. Services that call it wait meanwhile, each at the record that calls it (the coupling event notification leaves); services that keep a table of its events go on with what they have (event-carried state transfer).",
        examples: ["service stop billing"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        guard try shell.flows.service(name).isRunning else { return shell.say("service \(name) is already stopped") }
        try shell.changeFlows { try $0.setRunning(name, false) }
        shell.say("service \(name) stopped: records for it wait in the log; `service start \(name)` catches up")
    }
}

/// `service start NAME`.
struct StartService: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "start"], arguments: [ArgumentSpec("SERVICE", .service)], options: [],
        summary: "Start a stopped service: it catches up from its committed offset.",
        teaches: "A consumer resumes from its committed offset, so what arrived while it was down is processed now, in order. A service stopped on a poison record tries that record again: fix the rule first, or `service skip` it.",
        examples: ["service start billing"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.service(name)
        guard !slot.isActive || slot.stop != nil else { return shell.say("service \(name) is already running") }
        // Read before it starts: the offset it goes on from, which a group reset may have moved.
        let committed = slot.stop?.record.flatMap {
            shell.broker.committedOffsets(groupId: name)[TopicPartition($0.topic, $0.partition)]?.offset
        }
        try shell.changeFlows { try $0.setRunning(name, true) }
        shell.say("service \(name) started: \(Self.goesOn(slot.service, from: slot.stop, committed: committed))")
    }

    /// Where a service started again goes on: from its committed offset, which after a stop of
    /// its own is at the record it stopped on or just past it, as its commit mode left it. When
    /// `committed`, the group's offset on that record's partition, is elsewhere (a group reset
    /// moved it), the stop's story no longer holds, and it says where it reads instead.
    static func goesOn(_ service: Service, from stop: ServiceStop?, committed: Int64? = nil) -> String {
        guard let stop, let record = stop.record else { return "it reads on from its committed offset" }
        let (resumes, story) = Self.story(service, stop, record)
        if let committed, committed != resumes {
            return "it reads on from its committed offset, \(record.topic) p\(record.partition) @\(committed): its group's offset was moved since it stopped at \(FlowText.place(record))"
        }
        return story
    }

    /// Where the stop leaves the service's committed offset (at the record or just past it),
    /// and what starting again does there.
    private static func story(_ service: Service, _ stop: ServiceStop, _ record: RecordPlace) -> (Int64, String) {
        let name = service.name
        let place = FlowText.place(record)
        let at = record.offset, after = record.offset + 1
        switch stop.kind {
        case .poison where service.commit == .before:
            return (after, "it reads on after \(place), the poison record it stopped on: it had committed it before handling it (commit before), so that record is lost")
        case .poison:
            return (at, "it tries \(place) again, where it stopped on a poison record; `service skip \(name)` goes past it")
        case .crashed:
            switch stop.crash?.effect(under: service.commit) {
            case .duplicate? where service.dedupe != nil:
                return (at, "it reads \(place) again, the record it crashed on before committing it, and its dedupe on \(service.dedupe!) skips it: handled once")
            case .duplicate?:
                return (at, "it handles \(place) again, the record it crashed on before committing it: a duplicate (at-least-once)")
            case .loss?:
                return (after, "it reads on after \(place), the record it crashed on after committing it: that record is never handled (at-most-once)")
            case .none? where service.commit == .after:
                return (after, "it reads on after \(place), the record it crashed on once it was handled and committed: nothing lost, nothing twice")
            case .none?:
                return (at, "it handles \(place), the record it crashed on before committing it: once, nothing lost, nothing twice")
            case nil:
                return (at, "it reads on from its committed offset")
            }
        case .blocked, .other:
            return (at, "it tries \(place) again, where it waited")
        }
    }
}

/// `service delete NAME`.
struct ServiceDelete: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "delete"], arguments: [ArgumentSpec("SERVICE", .service)], options: [],
        summary: "Delete a service's definition; its consumer group keeps its offsets.",
        teaches: "Deleting a consumer does not delete its group's committed offsets: they stay until offsets.retention.minutes after it last had members. A service created again with the same name must --adopt them.",
        examples: ["service delete billing"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        try shell.changeFlows { try $0.removeService(name) }
        shell.say("service \(name) deleted; consumer group \(name) keeps its committed offsets")
        for warning in FlowBreakage.deleting(service: name, in: shell.flows) { shell.warn(warning) }
    }
}

/// How a service's state reads.
enum ServiceState {
    /// `running`, `stopped`, `poisoned`, `crashed`, `waiting`.
    static func word(_ slot: Flows.ServiceSlot) -> String {
        if !slot.isRunning { return "stopped" }
        switch slot.stop?.kind {
        case .poison?: return "poisoned"
        case .crashed?: return "crashed"
        case .blocked?, .other?: return "waiting"
        case nil: return "running"
        }
    }

    /// The state in a sentence, with where and why it stopped.
    static func sentence(_ slot: Flows.ServiceSlot, mode: Flows.Mode) -> String {
        if !slot.isRunning { return "stopped by hand; `service start \(slot.service.name)` catches up" }
        guard let stop = slot.stop else { return "running" }
        return FlowText.stopped(slot.service, stop, pace: mode == .auto ? .afterCommands : .steps)
    }

    /// The records its group has yet to read, summed over its source topics, as `show flow`
    /// counts them.
    static func lag(_ service: Service, in broker: Broker) -> Int64 {
        FlowSnapshot.lag(of: service.name, reading: service.sources, in: broker).values.reduce(0, +)
    }
}
