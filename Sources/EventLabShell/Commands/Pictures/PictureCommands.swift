import EventLabCore

/// Drawing topics, groups, logs and flows: `show`, whose bare `show NAME` draws a topic or a group.
enum PictureCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [ShowTopic.self, ShowGroup.self, ShowLog.self, ShowFlow.self, ShowAggregate.self, ShowProjection.self, ShowCluster.self]

    static let bareNames = [
        BareName("show", runs: ShowTopic.self, kinds: [.topic, .group]) { name in
            "for a topic or group called '\(name)', say `show topic \(name)` or `show group \(name)`"
        },
    ]

    /// `show`'s rule for names, which `help show` states.
    static let notes = ["show": showNames]

    private static let showNames = "`show NAME` draws the topic or group called NAME. A word `show` takes as a subcommand (topic, group, log, flow, and those added later) always means the subcommand, so for a topic or group with such a name say `show topic NAME` or `show group NAME`: those always work, whatever the name."
}

/// `show topic TOPIC`, and `show NAME` for a topic or a group.
struct ShowTopic: ShellCommand {
    static let spec = CommandSpec(
        path: ["show", "topic"], arguments: [ArgumentSpec("TOPIC", .topic)], options: [],
        summary: "Draw a topic: offsets, segments, groups and lag.",
        teaches: "Offsets are per partition; each group's marker shows where it would read next, and the gap to the end is its lag. A service is the consumer group of its name, drawn like any other, and at the log start until it first commits: a service starts at the earliest offset.",
        examples: ["show topic orders", "show orders"])

    let name: String
    /// True for `show NAME`, where the name may be a topic or a group.
    let isBareName: Bool

    init(_ words: Invocation) {
        name = words.arguments[0]
        isBareName = words.isBareName
    }

    func run(in shell: Shell) throws {
        let broker = shell.broker
        if isBareName {
            let isTopic = broker.topics().contains { $0.name == name }
            let isGroup = broker.groups().contains { $0.groupId == name }
            if isTopic && isGroup { throw ShellError("'\(name)' is both a topic and a group: say `show topic \(name)` or `show group \(name)`") }
            if isGroup { return try ShowGroup(name).run(in: shell) }
            guard isTopic else {
                let names = broker.topics().map(\.name) + broker.groups().map { TerminalText.escape($0.groupId) }
                throw ShellError("no topic or group is called '\(name)'\(CommandParser.suggestion(name, among: names)); `show` takes topic, group, log, flow, or a topic or group name")
            }
        }
        let services = shell.flows.services.values.filter { $0.service.sources.contains(name) }.map(\.service.name).sorted()
        let cluster = broker.brokerIds.count > 1 ? broker.cluster() : nil
        shell.say(try TopicPicture(broker: broker, width: shell.width, style: shell.style, services: services, cluster: cluster).render(try broker.describeTopic(name)))
    }
}

/// `show group GROUP`.
struct ShowGroup: ShellCommand {
    static let spec = CommandSpec(
        path: ["show", "group"], arguments: [ArgumentSpec("GROUP", .group)], options: [],
        summary: "Draw a group: members, partitions, offsets, lag.",
        teaches: "Each partition belongs to one member of the group at a time; that is how a group shares work without reading a record twice.",
        examples: ["show group billing", "show billing"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    init(_ name: String) { self.name = name }

    func run(in shell: Shell) throws {
        shell.say(GroupPicture.picture(try shell.broker.describeGroup(name)))
    }
}

/// `show log TOPIC [PARTITION]`.
struct ShowLog: ShellCommand {
    static let spec = CommandSpec(
        path: ["show", "log"], arguments: [ArgumentSpec("TOPIC", .topic), ArgumentSpec("PARTITION", .partition, optional: true)], options: [],
        summary: "Draw a partition's segments, gaps, retention and dirty ratio.",
        teaches: "A partition is a list of segment files. Retention deletes whole old segments; compaction rewrites them keeping the last record per key; the active (last) segment is never compacted, and retention rolls it before deleting it. On a compacted topic it shows the cleaner checkpoint (the first offset not yet cleaned) and the dirty ratio — bytes after it over the closed segments' bytes — which the cleaner compares with min.cleanable.dirty.ratio.",
        examples: ["show log orders 0", "show log customers"])

    let topic: String
    let partition: String?

    init(_ words: Invocation) {
        topic = words.arguments[0]
        partition = words.argument(1)
    }

    func run(in shell: Shell) throws {
        let topic = try shell.broker.describeTopic(self.topic)
        let index = try partition.map { try shell.number($0, for: "PARTITION") } ?? 0
        guard index < topic.partitions.count else {
            throw ShellError("topic '\(topic.name)' has no partition \(index): its partitions are 0 to \(topic.partitions.count - 1)")
        }
        shell.say(LogPicture.render(topic, partition: topic.partitions[index], now: shell.broker.clock.now(), timesVary: shell.timesVary))
        if partition == nil, topic.partitions.count > 1 {
            let name = TerminalText.escape(topic.name)
            let others = topic.partitions.count == 2 ? "`show log \(name) 1` shows the other" : "`show log \(name) 1` to `show log \(name) \(topic.partitions.count - 1)` show the others"
            shell.say("this is p0 of \(topic.partitions.count) partitions: \(others)")
        }
    }
}
