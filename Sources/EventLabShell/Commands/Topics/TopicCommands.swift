import EventLabCore

/// Creating, listing, describing, altering and deleting topics, and deleting their oldest records.
enum TopicCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        TopicCreate.self, TopicList.self, TopicDescribe.self, TopicAlter.self, TopicDeleteRecords.self, TopicReassign.self, TopicDelete.self,
    ]
    static let completions = [
        Completion(.topic) { $0.broker.topics().map(\.name) },
        Completion(.partition) { context in
            (try? context.topic.map { try context.broker.describeTopic($0).partitions.map { String($0.index) } } ?? []) ?? []
        },
    ]
}

extension ValueKind {
    /// An existing topic.
    static let topic = ValueKind("topic", placeholder: "TOPIC")
    /// A name for a new topic.
    static let newTopic = ValueKind("new topic", placeholder: "TOPIC")
    /// A partition index of the topic named earlier.
    static let partition = ValueKind("partition", placeholder: "N")
    /// Retention: a duration, a size, `1000records`, or `forever`.
    static let retention = ValueKind("retention", placeholder: "RETENTION", words: ["forever"])
}

/// `topic create NAME`.
struct TopicCreate: ShellCommand {
    static let spec = CommandSpec(
        path: ["topic", "create"], arguments: [ArgumentSpec("NAME", .newTopic)],
        options: [OptionSpec("--partitions", .number, help: "how many partitions (default 1)"),
                  OptionSpec("--replication-factor", .number, help: "how many brokers keep a copy of each partition (default min(3, live brokers), EventLab's; Kafka's default.replication.factor is 1)"),
                  OptionSpec("--compact", help: "shorthand for --cleanup compact")] + TopicSettings.options,
        summary: "Create a topic: an append-only log split into partitions.",
        teaches: "A topic is split into partitions; each is an ordered log with its own offsets. More partitions mean more consumers can share the work, but order holds only within a partition. A name is 1 to 249 of a-z A-Z 0-9 . _ -, and Kafka counts '.' and '_' as the same, so orders.eu and orders_eu cannot both exist. On a cluster each partition is copied to --replication-factor brokers, spread as Kafka assigns them: one replica leads and takes every write, the others follow it, and with --config min.insync.replicas=2 an acks=all write needs two in-sync copies or is refused.",
        examples: ["topic create orders --partitions 3", "topic create customers --compact --segment-records 4", "topic create payments --replication-factor 3 --config min.insync.replicas=2"])

    let name: String
    let partitions: String?
    let replicationFactor: String?
    let compact: Bool
    /// The topic settings given, which ``TopicSettings`` reads.
    let settings: Invocation

    init(_ words: Invocation) {
        name = words.arguments[0]
        partitions = words.value("--partitions")
        replicationFactor = words.value("--replication-factor")
        compact = words.has("--compact")
        settings = words
    }

    func run(in shell: Shell) throws {
        let partitions = try self.partitions.map { try shell.number($0, for: "--partitions", atLeast: 1) } ?? 1
        var config = try TopicSettings.apply(settings, to: shell.broker.topicDefaults)
        if compact {
            guard settings.value("--cleanup") == nil else { throw ShellError("give --compact or --cleanup, not both") }
            config.cleanupPolicy = .compact
        }
        let factor = try replicationFactor.map { try shell.number($0, for: "--replication-factor", atLeast: 1) }
        let topic: TopicDescription
        do {
            topic = try shell.broker.createTopic(name, partitions: partitions, replicationFactor: factor, config: config)
        } catch {
            throw shell.namingReplicationCode(error)
        }
        shell.say("created topic \(topic.name) with \(partitions) partition\(partitions == 1 ? "" : "s")\(replication(topic, given: factor, in: shell)) · \(TopicSettings.summary(topic.config))")
    }

    /// ` · replication 3 (…)` on a cluster of more than one broker: how many copies, and whose
    /// default chose it when none was given; nothing on one broker, which keeps one copy.
    private func replication(_ topic: TopicDescription, given: Int?, in shell: Shell) -> String {
        guard shell.isCluster else { return "" }
        let factor = topic.partitions.first?.replicas.count ?? given ?? shell.broker.defaultReplicationFactor
        let why = given == nil ? " (EventLab's default, min(3, live brokers); Kafka's default.replication.factor is 1)" : ""
        return " · replication \(factor)\(why)"
    }
}

/// `topic list`.
struct TopicList: ShellCommand {
    static let spec = CommandSpec(
        path: ["topic", "list"], arguments: [], options: [],
        summary: "List the topics with their partitions and record counts.",
        teaches: "Every topic is independent: its own partitions, offsets and cleanup policy.",
        examples: ["topic list", "topic create a; topic list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let topics = shell.broker.topics()
        let offline = shell.broker.unavailableTopics()
        guard !topics.isEmpty || !offline.isEmpty else { return shell.say("no topics yet: try `topic create orders --partitions 3`") }
        var rows = topics.map { topic in
            [topic.name, String(topic.partitions.count), String(topic.partitions.reduce(Int64(0)) { $0 + $1.segments.reduce(0) { $0 + Int64($1.recordCount) } }),
             topic.config.cleanupPolicy.description, TopicSettings.retention(topic.config)]
        }
        rows += offline.map { [$0.name, "offline", "-", "-", "damaged: `topic describe \($0.name)` says where"] }
        rows.sort { $0[0] < $1[0] }
        let header = ["TOPIC", "PARTITIONS", "RECORDS", "CLEANUP", "RETENTION"]
        // A name may be 249 characters: cut long ones so every row stays one line of the width.
        let others = (1..<header.count).reduce(0) { sum, column in sum + 2 + ([header] + rows).map { $0[column].displayWidth }.max()! }
        let nameWidth = max(20, shell.width - others)
        let cut = rows.contains { $0[0].displayWidth > nameWidth }
        for index in rows.indices { rows[index][0] = rows[index][0].truncated(to: nameWidth) }
        shell.say(Table.render(header: header, rows: rows))
        if cut { shell.say("names ending in … are cut to fit: Tab completes them in full") }
    }
}

/// `topic describe NAME`.
struct TopicDescribe: ShellCommand {
    static let spec = CommandSpec(
        path: ["topic", "describe"], arguments: [ArgumentSpec("NAME", .topic)], options: [],
        summary: "Show a topic's settings and each partition's offsets.",
        teaches: "Each partition has a log-start offset (the oldest record kept) and a log-end offset (where the next record goes). With more than one broker, LEADER, REPLICAS and ISR are what kafka-topics --describe prints as `Leader: 1 Replicas: 1,2,3 Isr: 1,2`: the broker producers and consumers talk to, every broker with a copy, and those in sync with the leader; HW is the high watermark, the offset below which every in-sync replica has the records, and only those records are read.",
        examples: ["topic describe orders", "topic describe customers"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let topic = try shell.broker.describeTopic(name)
        shell.say("\(topic.name) · \(topic.partitions.count) partition\(topic.partitions.count == 1 ? "" : "s") · \(TopicSettings.summary(topic.config))")
        if let overrides = TopicSettings.overrides(topic.config) { shell.say(overrides) }
        if topic.config.messageTimestampType == .logAppendTime {
            shell.say("timestamps: LogAppendTime (message.timestamp.type): each record carries the broker clock's time of its append, not its producer's; "
                + "a topic created on the logical clock gets it, as real clients stamp today's date, which time retention on a 2024 clock would never reach")
        }
        shell.say(Self.table(topic, replicated: shell.broker.brokerIds.count > 1))
    }

    /// The partitions' table; `replicated` (more than one broker) adds Kafka's `Leader:`,
    /// `Replicas:` and `Isr:` as columns, and the high watermark between the log's start and end.
    static func table(_ topic: TopicDescription, replicated: Bool) -> String {
        let rows = topic.partitions.map { partition in
            let copies = [partition.leader.map(String.init) ?? "none", ClusterPicture.ids(partition.replicas), ClusterPicture.ids(partition.isr)]
            return [String(partition.index)] + (replicated ? copies : []) + [String(partition.logStartOffset)]
                + (replicated ? [String(partition.highWatermark)] : []) + [String(partition.logEndOffset),
                String(partition.segments.reduce(0) { $0 + $1.recordCount }), String(partition.segments.count),
                SizeText.format(Int64(partition.segments.reduce(0) { $0 + $1.byteCount }))]
        }
        let header = ["PARTITION"] + (replicated ? ["LEADER", "REPLICAS", "ISR"] : []) + ["LOG-START"] + (replicated ? ["HW"] : [])
            + ["LOG-END", "RECORDS", "SEGMENTS", "SIZE"]
        return Table.render(header: header, rows: rows)
    }
}

/// `topic alter NAME`.
struct TopicAlter: ShellCommand {
    static let spec = CommandSpec(
        path: ["topic", "alter"], arguments: [ArgumentSpec("NAME", .topic)],
        options: [OptionSpec("--partitions", .number, help: "grow to this many partitions (never fewer)")] + TopicSettings.options,
        summary: "Change a topic's configuration or add partitions.",
        teaches: "Adding partitions moves where keys land from then on: records already written stay put, so per-key order can break.",
        examples: ["topic alter orders --retention 1d", "topic alter orders --partitions 6"])

    let name: String
    let partitions: String?
    /// The topic settings given, which ``TopicSettings`` reads.
    let settings: Invocation

    init(_ words: Invocation) {
        name = words.arguments[0]
        partitions = words.value("--partitions")
        settings = words
    }

    func run(in shell: Shell) throws {
        let current = try shell.broker.describeTopic(name)
        let config = try TopicSettings.apply(settings, to: current.config)
        let partitions = try self.partitions.map { try shell.number($0, for: "--partitions", atLeast: 1) }
        if let partitions, partitions <= current.partitions.count {
            throw ShellError("topic '\(name)' has \(current.partitions.count) partitions; partitions can be added but never removed, so ask for more than \(current.partitions.count)")
        }
        guard config != current.config || partitions != nil else {
            throw ShellError("nothing to change: give --partitions or a setting such as --retention 1d (see `help topic alter`)")
        }
        try config.validate()
        if config != current.config { try shell.broker.alterTopic(name, config: config) }
        if let partitions { try shell.broker.addPartitions(name, to: partitions) }
        let now = try shell.broker.describeTopic(name)
        shell.say("altered topic \(name): \(now.partitions.count) partition\(now.partitions.count == 1 ? "" : "s") · \(TopicSettings.summary(now.config))")
        if partitions != nil { shell.say("note: keys now map to \(now.partitions.count) partitions; records already written stay where they are") }
        for warning in AggregateTopicWarnings.altered(name, from: current.config, to: now.config, in: shell.flows) { shell.warn(warning) }
    }
}

/// `topic delete NAME`.
struct TopicDelete: ShellCommand {
    static let spec = CommandSpec(
        path: ["topic", "delete"], arguments: [ArgumentSpec("NAME", .topic)], options: [],
        summary: "Delete a topic, its records and the groups' offsets on it.",
        teaches: "Deleting a topic removes its history for everyone: consumers cannot replay what is gone.",
        examples: ["topic delete orders", "topic delete scratch"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let broken = FlowBreakage.deleting(topic: name, in: shell.flows)
        let groups = try shell.broker.deleteTopic(name)
        let lost = groups.isEmpty ? "" : " · group\(groups.count == 1 ? "" : "s") \(groups.map(TerminalText.escape).joined(separator: ", ")) lost \(groups.count == 1 ? "its offsets" : "their offsets") on it"
        shell.say("deleted topic \(TerminalText.escape(name))\(lost)")
        for warning in broken { shell.warn(warning) }
    }
}
