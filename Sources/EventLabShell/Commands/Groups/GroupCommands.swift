import EventLabCore

/// Listing, describing and resetting consumer groups.
enum GroupCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [GroupList.self, GroupDescribe.self, GroupReset.self]
    static let completions = [Completion(.group) { $0.broker.groups().map(\.groupId) }]
}

extension ValueKind {
    /// An existing or new consumer group.
    static let group = ValueKind("group", placeholder: "GROUP")
    /// Where to move a group: `earliest`, `latest`, `offset N`, `time T`, `shift N`.
    static let resetTarget = ValueKind(
        "reset target", placeholder: "earliest|latest|offset N|time T|shift N",
        words: ["earliest", "latest", "offset", "time", "shift"], pairs: ["offset", "time", "shift"])
}

/// `group list`.
struct GroupList: ShellCommand {
    static let spec = CommandSpec(
        path: ["group", "list"], arguments: [], options: [],
        summary: "List consumer groups with their state, members and total lag.",
        teaches: "Each group keeps its own committed offsets, so two groups read the same topic independently.",
        examples: ["group list", "consume orders --group billing; group list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let groups = shell.broker.groups()
        guard !groups.isEmpty else { return shell.say("no groups yet: `consume TOPIC --group NAME` creates one") }
        let rows = groups.map { group in
            [TerminalText.escape(group.groupId), group.state.rawValue, String(group.members.count), String(group.totalLag)]
        }
        shell.say(Table.render(header: ["GROUP", "STATE", "MEMBERS", "LAG"], rows: rows))
    }
}

/// `group describe GROUP`.
struct GroupDescribe: ShellCommand {
    static let spec = CommandSpec(
        path: ["group", "describe"], arguments: [ArgumentSpec("GROUP", .group)], options: [],
        summary: "Show a group's offsets and lag per partition.",
        teaches: "LAG = LOG-END-OFFSET − CURRENT-OFFSET: how many records the group has not processed yet.",
        examples: ["group describe billing", "group describe shipping"])

    let group: String

    init(_ words: Invocation) { group = words.arguments[0] }

    func run(in shell: Shell) throws {
        shell.say(GroupPicture.table(try shell.broker.describeGroup(group)))
    }
}

/// `group reset GROUP --to TARGET`.
struct GroupReset: ShellCommand {
    static let spec = CommandSpec(
        path: ["group", "reset"], arguments: [ArgumentSpec("GROUP", .group)],
        options: [OptionSpec("--to", .resetTarget, help: "where to move the committed offsets"),
                  OptionSpec("--topic", .topic, help: "only this topic's offsets"),
                  OptionSpec("--execute", help: "apply the change (without it, only show it, as Kafka's tool does)")],
        summary: "Move a group's offsets to replay or skip records.",
        teaches: "Replaying is moving a position back: the records are still in the log. Kafka only lets you move an idle group's offsets, so a running member does not overwrite them.",
        examples: ["group reset billing --to earliest", "group reset billing --to shift -2 --execute"])

    let group: String
    let to: String?
    let topic: String?
    let execute: Bool

    init(_ words: Invocation) {
        group = words.arguments[0]
        to = words.value("--to")
        topic = words.value("--topic")
        execute = words.has("--execute")
    }

    func run(in shell: Shell) throws {
        guard let targetText = to else {
            throw ShellError("group reset needs --to earliest|latest|offset N|time T|shift N, such as `group reset \(group) --to earliest`")
        }
        let target = try ResetTarget.parse(targetText)
        if let topic { _ = try shell.broker.describeTopic(topic) }
        let plan = try shell.broker.resetOffsets(groupId: group, topic: topic, to: target, execute: execute)
        let rows = plan.map { reset in
            [group, reset.topicPartition.topic, String(reset.topicPartition.partition),
             reset.previousOffset.map(String.init) ?? "-", String(reset.newOffset)]
        }
        shell.say(Table.render(header: ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"], rows: rows))
        shell.say(execute ? "reset done: the group will read from the new offsets" : "dry run: nothing changed; add --execute to apply")
    }
}

/// Where `group reset --to` moves offsets.
enum ResetTarget {
    static func parse(_ text: String) throws -> OffsetResetTarget {
        let words = text.split(separator: " ").map(String.init)
        switch words.first {
        case "earliest", "beginning": return .earliest
        case "latest", "end": return .latest
        case "offset":
            guard words.count == 2, let offset = try NumberText.parse(words[1], for: "--to offset"), offset >= 0 else { throw ShellError("--to offset needs an offset, a whole number of 0 or more, such as --to offset 5") }
            return .offset(offset)
        case "time":
            guard words.count == 2, let time = TimeText.parseTime(words[1]) else { throw ShellError("--to time needs a UTC time such as 2024-01-01T00:00:05Z") }
            return .time(time)
        case "shift":
            guard words.count == 2, let shift = try NumberText.parse(words[1], for: "--to shift") else { throw ShellError("--to shift needs a whole number, such as --to shift -2") }
            return .shift(shift)
        default:
            throw ShellError("--to takes earliest, latest, offset N, time T or shift N, not '\(text)'")
        }
    }
}
