import EventLabCore
import EventLabPatterns

/// `projection create NAME --from TOPIC[,TOPIC…] [--type-field F | --type-header H] [--inline]`.
struct ProjectionCreate: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "create"], arguments: [ArgumentSpec("NAME", .text)],
        options: [
            OptionSpec("--from", .topic, help: "the topic it reads, or several joined by commas"),
        ] + EventSourceOptions.typeOptions + [
            OptionSpec("--inline", help: "bring it up to date within the command that appends events (`send`), before it returns; the others catch up after the command"),
            OptionSpec("--next-rule", .number, help: "the number its next rule gets; `flow export` writes it when rules were removed from the end, so numbers are never reused"),
        ],
        summary: "Create a projection: a read model built from events, for queries.",
        teaches: "The read side of CQRS: a projection reads events and keeps a view shaped for a question — the latest value per key (`put`), or counts and sums per group. It is a consumer group of its name, so `group describe NAME` shows how far behind it is: the consistency window of every `query`. Give it rules with `projection NAME on TYPE put KEY = VALUE`.",
        examples: [
            "projection create balances --from accounts", "projection create order-stats --from orders,payments --inline",
            "projection create activity --from events --type-header ce_type",
        ])

    let name: String
    let sources: [String]
    let typeSource: EventTypeSource
    let inline: Bool
    let nextRule: String?

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        try ProjectionName.check(name)
        guard let from = words.value("--from") else {
            throw ShellError("`projection create` needs --from TOPIC: the topic the projection reads, e.g. `projection create \(name) --from accounts`")
        }
        sources = try EventSourceOptions.sources(from, reader: "a projection")
        typeSource = try EventSourceOptions.typeSource(words)
        inline = words.has("--inline")
        nextRule = words.value("--next-rule")
    }

    func run(in shell: Shell) throws {
        var projection = Projection(name: name, sources: sources, typeSource: typeSource)
        if let nextRule { projection.numberRules(from: try shell.number(nextRule, for: "--next-rule", atLeast: 1)) }
        // A name already taken is the first thing wrong: a running service of that name is also
        // its consumer group's member, which the check below would blame instead.
        var check = shell.flows
        try check.add(projection, inline: inline)
        // A kept definition whose topics are gone stays defined: it reads nothing until they are back.
        if !shell.isRestoringFlows {
            for topic in sources { try shell.requireTopic(topic) }
            if let group = try? shell.broker.describeGroup(name), !group.members.isEmpty {
                throw ShellError("consumer group \(name) has \(group.members.count) member\(group.members.count == 1 ? "" : "s") running: a projection commits its position to the group of its name, which its members own; stop them or pick another name")
            }
        }
        // Offsets a consumer of that name once committed do not move it: it builds its read model
        // from the log start, and its commits replace them.
        let committed = shell.broker.committedOffsets(groupId: name).keys.filter { sources.contains($0.topic) }
        try shell.changeFlows { try $0.add(projection, inline: inline) }
        let pace = switch shell.flowPace {
        case .afterCommands: "it catches up after every command"
        case .steps: "the flow is manual: it catches up at each `step`"
        case .unattended: "it catches up as events arrive"
        }
        let kind = inline ? "it is inline: `send` brings it up to date before it returns" : pace
        shell.say("projection \(name) reads \(sources.joined(separator: ", ")) from the log start as consumer group \(name); \(kind); give it rules with `projection \(name) on TYPE put KEY = VALUE`")
        if !committed.isEmpty, !shell.isRestoringFlows {
            shell.say("consumer group \(name) already has committed offsets on \(Set(committed.map(\.topic)).sorted().joined(separator: ", ")): the projection builds its read model from the log start all the same, and its commits replace them")
        }
    }
}
