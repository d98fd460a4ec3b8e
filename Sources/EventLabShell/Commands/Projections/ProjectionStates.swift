import EventLabCore
import EventLabPatterns

/// `projection list`.
struct ProjectionList: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "list"], arguments: [], options: [],
        summary: "List the projections with what they read, their rules, rows, state and lag.",
        teaches: "Each projection is a consumer group: its lag is how many events its read model has not applied yet — how stale a query's answer may be.",
        examples: ["projection list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let slots = shell.flows.projections.keys.sorted().map { shell.flows.projections[$0]! }
        guard !slots.isEmpty else { return shell.say("no projections yet: `projection create NAME --from TOPIC` creates one") }
        let rows = slots.map { slot in
            let lag = (try? slot.readModel.lag(in: shell.broker)).map { String($0.reduce(0) { $0 + $1.behind }) } ?? "-"
            return [slot.projection.name, slot.projection.sources.joined(separator: ","), String(slot.projection.rules.count),
                    String(slot.readModel.count), ProjectionText.state(slot), lag]
        }
        shell.say(Table.render(header: ["PROJECTION", "READS", "RULES", "ROWS", "STATE", "LAG"], rows: rows))
    }
}

/// `projection describe NAME`.
struct ProjectionDescribe: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "describe"], arguments: [ArgumentSpec("PROJECTION", .projection)], options: [],
        summary: "Show a projection's settings, its numbered rules, where it stands and what it has built.",
        teaches: "A projection's position is the offset it has applied up to on each partition, committed to its consumer group; a rule changed applies from there on, and `projection rebuild` replays from the start.",
        examples: ["projection describe balances"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.projection(name)
        for line in slot.projection.describe() { shell.say(line) }
        shell.say("  state: \(ProjectionText.state(slot))")
        let model = slot.readModel
        let skipped = model.skipped.values.reduce(0, +)
        shell.say("  read model: \(model.count) row\(model.count == 1 ? "" : "s"); events applied \(model.applied), skipped \(skipped), failed \(model.failed)")
        if let failure = model.lastFailure { shell.say("  last failure: \(failure)") }
        if let problem = slot.problem { shell.say("  problem: \(problem)") }
        shell.say("  " + ProjectionText.window(slot, in: shell))
    }
}

/// `projection pause NAME`.
struct ProjectionPause: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "pause"], arguments: [ArgumentSpec("PROJECTION", .projection)], options: [],
        summary: "Pause a projection: it reads nothing, its lag grows, and queries answer from what it has.",
        teaches: "Eventual consistency made visible: the write side goes on appending events while the read model stands still, so a `query` answers with an older view and says how far behind it is. Nothing is lost: the events wait in the log.",
        examples: ["projection pause balances"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        guard try shell.flows.projection(name).isRunning else { return shell.say("projection \(name) is already paused") }
        try shell.changeFlows { flows in try flows.changeProjection(name) { $0.isRunning = false } }
        shell.say("projection \(name) paused: events wait in the log and its queries grow stale; `projection resume \(name)` catches up")
    }
}

/// `projection resume NAME`.
struct ProjectionResume: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "resume"], arguments: [ArgumentSpec("PROJECTION", .projection)], options: [],
        summary: "Resume a paused projection: it catches up from its position.",
        teaches: "A projection resumes from its committed position, so the events that arrived while it was paused reach its read model now, in order, and its queries are current again.",
        examples: ["projection resume balances"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        guard try !shell.flows.projection(name).isRunning else { return shell.say("projection \(name) is already running") }
        try shell.changeFlows { flows in try flows.changeProjection(name) { $0.isRunning = true } }
        let when = shell.flows.mode == .manual ? "`step` delivers what it missed" : "it catches up now"
        shell.say("projection \(name) resumed: \(when)")
    }
}

/// `projection delete NAME`.
struct ProjectionDelete: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "delete"], arguments: [ArgumentSpec("PROJECTION", .projection)], options: [],
        summary: "Delete a projection and its read model; its consumer group keeps its offsets.",
        teaches: "A read model is derived data: deleting it loses nothing the log does not still hold, and a projection created again rebuilds it from the events.",
        examples: ["projection delete balances"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        try shell.changeFlows { try $0.removeProjection(name) }
        shell.say("projection \(name) deleted with its read model; consumer group \(name) keeps its committed offsets")
    }
}
