import EventLabCore

/// `group delete GROUP`.
struct GroupDelete: ShellCommand {
    static let spec = CommandSpec(
        path: ["group", "delete"], arguments: [ArgumentSpec("GROUP", .group)], options: [],
        summary: "Delete a group without members, and its committed offsets.",
        teaches: "Deleting a group removes it and every committed offset it has at once, instead of after offsets.retention.minutes, as kafka-consumer-groups --delete (DeleteGroups) does. Kafka deletes only a group without members (NON_EMPTY_GROUP otherwise), so no running consumer commits into a group that is gone. A consumer that joins under the same name later is a new group: it starts by its auto.offset.reset.",
        examples: ["group delete billing", "group list; group delete audit; group list"])

    let group: String

    init(_ words: Invocation) { group = words.arguments[0] }

    func run(in shell: Shell) throws {
        let removed: [TopicPartition]
        do {
            removed = try shell.broker.deleteGroup(group)
        } catch {
            throw ShellError(error.description)
        }
        let offsets = removed.isEmpty ? "" : " and its committed offsets on \(GroupDeleteOffsets.places(removed))"
        shell.say("deleted group \(TerminalText.escape(group))\(offsets)")
    }
}

/// `group delete-offsets GROUP --topic T[:P,P…]`.
struct GroupDeleteOffsets: ShellCommand {
    static let spec = CommandSpec(
        path: ["group", "delete-offsets"], arguments: [ArgumentSpec("GROUP", .group)],
        options: [OptionSpec("--topic", .topicPartitions, repeatable: true, help: "delete the offsets on all of this topic's partitions, or with T:0,2 on those partitions")],
        summary: "Delete a group's committed offsets on a topic.",
        teaches: "Deleting a group's offsets on a topic makes it forget where it stopped there, as kafka-consumer-groups --delete-offsets (OffsetDelete, KIP-496) does: its next read there starts by auto.offset.reset, and its offsets on other topics stay. Kafka refuses a topic the group's members subscribe to (GROUP_SUBSCRIBED_TO_TOPIC), since they would commit there again; a group left with no members and no offsets is gone.",
        examples: ["group delete-offsets billing --topic orders", "group delete-offsets audit --topic orders:0,2"])

    let group: String
    let topics: [String]

    init(_ words: Invocation) {
        group = words.arguments[0]
        topics = words.options["--topic"] ?? []
    }

    func run(in shell: Shell) throws {
        let name = TerminalText.escape(group)
        guard !topics.isEmpty else {
            throw ShellError("group delete-offsets needs --topic T (all of T's partitions; T:0,2 picks some), such as `group delete-offsets \(name) --topic orders`")
        }
        var partitions: [TopicPartition] = []
        for selection in try topics.map(GroupReset.selection) {
            let indexes = try selection.partitions ?? shell.broker.describeTopic(selection.topic).partitions.map(\.index)
            partitions += indexes.map { TopicPartition(selection.topic, $0) }
        }
        partitions = Set(partitions).sorted()
        let had = shell.broker.committedOffsets(groupId: group)
        let result: [TopicPartition: KafkaErrorCode]
        do {
            result = try shell.broker.deleteOffsets(groupId: group, partitions: partitions)
        } catch {
            throw ShellError(error.description)
        }
        let rows = partitions.map { partition in
            let code = result[partition] ?? .none
            let status = code != .none ? code.name : had[partition] == nil ? "had none" : "deleted"
            return [TerminalText.escape(partition.topic), String(partition.partition), status]
        }
        shell.say(Table.render(header: ["TOPIC", "PARTITION", "STATUS"], rows: rows))
        let subscribed = partitions.filter { result[$0] == .groupSubscribedToTopic }
        let unknown = partitions.filter { result[$0] == .unknownTopicOrPartition }
        if !unknown.isEmpty {
            throw ShellError("\(Self.places(unknown)) do\(unknown.count == 1 ? "es" : "") not exist [\(KafkaErrorCode.unknownTopicOrPartition.name)]")
        }
        if !subscribed.isEmpty {
            throw ShellError(
                "offsets on \(Self.places(subscribed)) kept: a member of \(name) subscribes to \(Set(subscribed.map(\.topic)).sorted().map(TerminalText.escape).joined(separator: ", ")) and would commit there again; stop its consumers first [\(KafkaErrorCode.groupSubscribedToTopic.name)]")
        }
        shell.say("the group's next read of \(partitions.count == 1 ? "that partition" : "those partitions") starts by its auto.offset.reset")
    }

    /// `orders p0, p1 · other p0`: partitions by topic, as the other group commands name them.
    static func places(_ partitions: [TopicPartition]) -> String {
        Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, partitions in
            "\(TerminalText.escape(topic)) " + partitions.map(\.partition).sorted().map { "p\($0)" }.joined(separator: ", ")
        }.joined(separator: " · ")
    }
}
