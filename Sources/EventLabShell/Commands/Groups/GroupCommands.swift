import EventLabCore

/// Listing, describing, resetting and deleting consumer groups.
enum GroupCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [GroupList.self, GroupDescribe.self, GroupReset.self, GroupDelete.self, GroupDeleteOffsets.self]
    static let completions = [Completion(.group) { $0.broker.groups().map(\.groupId) }]
}

extension ValueKind {
    /// An existing or new consumer group.
    static let group = ValueKind("group", placeholder: "GROUP")
    /// Where to move a group: `earliest`, `latest`, `offset N`, `time T`, `shift N`.
    static let resetTarget = ValueKind(
        "reset target", placeholder: "earliest|latest|offset N|time T|shift N",
        words: ["earliest", "latest", "offset", "time", "shift"], pairs: ["offset", "time", "shift"])
    /// A topic, or a topic with some of its partitions: `orders`, `orders:0,2`.
    static let topicPartitions = ValueKind("topic", placeholder: "TOPIC[:P,P…]")
}

/// `group list`.
struct GroupList: ShellCommand {
    static let spec = CommandSpec(
        path: ["group", "list"], arguments: [], options: [],
        summary: "List consumer groups with their state, members and total lag.",
        teaches: "Each group keeps its own committed offsets, so two groups read the same topic independently. A group whose members all left is Empty: it is still a consumer group, keeping its protocol type and offsets. A group with no members keeps its committed offsets for offsets.retention.minutes (Kafka's default 7 days), counted from when its last member left, or, if it never had members (group reset, a standalone consumer), from each commit; then they are gone, and its next consume starts by auto.offset.reset. Groups of real clients wait group.initial.rebalance.delay.ms (3 s) on the system clock before their first rebalance, and static members (group.instance.id) rejoin after a restart with no rebalance; `help consume` says more.",
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
        teaches: "LAG = LOG-END-OFFSET − CURRENT-OFFSET: how many records the group has not processed yet. A group with no members keeps its committed offsets for offsets.retention.minutes (Kafka's default 7 days), counted from when its last member left, or, if it never had members (group reset, a standalone consumer), from each commit; then they are gone, and its next consume starts by auto.offset.reset. A group with members keeps them.",
        examples: ["group describe billing", "group describe shipping"])

    let group: String

    init(_ words: Invocation) { group = words.arguments[0] }

    func run(in shell: Shell) throws {
        shell.say(GroupPicture.table(try shell.broker.describeGroup(group)))
        if shell.isCluster { shell.say(Self.coordinatorLine(group, in: shell)) }
    }

    /// Which broker coordinates the group on a cluster, and why that one.
    static func coordinatorLine(_ group: String, in shell: Shell) -> String {
        let partition = "\(OffsetsTopic.name) p\(OffsetsTopic.partition(forGroup: group))"
        guard let coordinator = shell.broker.coordinator(forGroup: group) else {
            return "coordinator: none — every replica of \(partition) is down, so clients get COORDINATOR_NOT_AVAILABLE until one starts"
        }
        return "coordinator: broker \(coordinator), the leader of the group's partition \(partition): members join, heartbeat and commit there"
    }
}

/// `group reset GROUP --topic T|--all-topics --to TARGET`.
struct GroupReset: ShellCommand {
    static let spec = CommandSpec(
        path: ["group", "reset"], arguments: [ArgumentSpec("GROUP", .group)],
        options: [OptionSpec("--to", .resetTarget, help: "where to move the committed offsets (kafka-consumer-groups: --to-earliest, --to-latest, --to-offset, --to-datetime, --shift-by); an offset outside the log is clamped to its start or end"),
                  OptionSpec("--topic", .topicPartitions, repeatable: true, help: "reset all of this topic's partitions, or with T:0,2 those partitions; a group with no offsets yet is positioned before it consumes"),
                  OptionSpec("--all-topics", help: "reset every partition the group has committed offsets on"),
                  OptionSpec("--execute", help: "apply the change (without it, only show it, as Kafka's tool does)"),
                  OptionSpec("--dry-run", help: "only show the change (the default)")],
        summary: "Move a group's offsets to replay or skip records.",
        teaches: "Replaying is moving a position back: the records are still in the log. As kafka-consumer-groups --reset-offsets: name --topic T or --all-topics, see the plan, add --execute to apply. Kafka only resets an inactive group (no members), so a running member does not overwrite the new offsets.",
        examples: ["group reset billing --all-topics --to earliest", "group reset billing --topic orders --to shift -2 --execute",
                   "group reset audit --topic orders:0,2 --to latest --execute"])

    let group: String
    let to: String?
    let topics: [String]
    let allTopics: Bool
    let execute: Bool
    let dryRun: Bool

    init(_ words: Invocation) {
        group = words.arguments[0]
        to = words.value("--to")
        topics = words.options["--topic"] ?? []
        allTopics = words.has("--all-topics")
        execute = words.has("--execute")
        dryRun = words.has("--dry-run")
    }

    func run(in shell: Shell) throws {
        let name = TerminalText.escape(group)
        guard let targetText = to else {
            throw ShellError("group reset needs --to earliest|latest|offset N|time T|shift N, such as `group reset \(name) --all-topics --to earliest`")
        }
        let target = try ResetTarget.parse(targetText)
        if execute && dryRun { throw ShellError("--execute and --dry-run contradict each other: give one (without either, it is a dry run)") }
        let scope: OffsetResetScope
        switch (topics.isEmpty, allTopics) {
        case (true, false):
            throw ShellError("group reset needs a scope, as kafka-consumer-groups does: --topic T (all of T's partitions; T:0,2 picks some) or --all-topics (every partition the group has committed offsets on), such as `group reset \(name) --all-topics --to \(targetText)`")
        case (false, true):
            throw ShellError("give --topic or --all-topics, not both")
        case (true, true):
            scope = .allTopics
        case (false, false):
            scope = .topics(try topics.map(Self.selection))
        }
        let plan = try shell.broker.resetOffsets(groupId: group, scope: scope, to: target, execute: execute)
        let rows = plan.map { reset in
            [name, TerminalText.escape(reset.topicPartition.topic), String(reset.topicPartition.partition),
             reset.previousOffset.map(String.init) ?? "-", String(reset.newOffset)]
        }
        shell.say(Table.render(header: ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"], rows: rows))
        for reset in plan where reset.requestedOffset != reset.newOffset {
            let place = "\(TerminalText.escape(reset.topicPartition.topic)) p\(reset.topicPartition.partition)"
            let bound = reset.requestedOffset > reset.newOffset ? "past the log end" : "below the log start"
            let end = reset.requestedOffset > reset.newOffset ? "log end" : "log start"
            shell.say("new offset \(reset.requestedOffset) is \(bound) of \(place): clamped to the \(end), \(reset.newOffset)")
        }
        let created = plan.contains { $0.previousOffset == nil }
        if execute {
            shell.say(created ? "reset done: the group will start from the new offsets (those it had none on are created)" : "reset done: the group will read from the new offsets")
        } else {
            shell.say("dry run: nothing changed; add --execute to apply")
        }
    }

    /// `T` (all of T's partitions) or `T:0,2` (those), as kafka-consumer-groups reads `--topic`.
    static func selection(_ text: String) throws -> TopicSelection {
        guard let colon = text.firstIndex(of: ":") else { return TopicSelection(text) }
        let topic = String(text[..<colon])
        let list = text[text.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false)
        let partitions = try list.map { word in
            guard let partition = Int32(word), partition >= 0 else {
                throw ShellError("--topic \(text): '\(word)' is not a partition; write T for all of T's partitions or T:0,2 for some")
            }
            return partition
        }
        return TopicSelection(topic, partitions: partitions)
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
