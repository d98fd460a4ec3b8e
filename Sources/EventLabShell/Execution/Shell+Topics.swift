import EventLabCore

extension Shell {
    func createTopic(_ invocation: Invocation) throws {
        let name = invocation.arguments[0]
        let partitions = try invocation.value("--partitions").map { try number($0, for: "--partitions", atLeast: 1) } ?? 1
        var config = try TopicSettings.apply(invocation, to: TopicConfig())
        if invocation.has("--compact") {
            guard invocation.value("--cleanup") == nil else { throw ShellError("give --compact or --cleanup, not both") }
            config.cleanupPolicy = .compact
        }
        let topic = try broker.createTopic(name, partitions: partitions, config: config)
        say("created topic \(topic.name) with \(partitions) partition\(partitions == 1 ? "" : "s") · \(TopicSettings.summary(topic.config))")
    }

    func listTopics() {
        let topics = broker.topics()
        let offline = broker.unavailableTopics()
        guard !topics.isEmpty || !offline.isEmpty else { return say("no topics yet: try `topic create orders --partitions 3`") }
        var rows = topics.map { topic in
            [topic.name, String(topic.partitions.count), String(topic.partitions.reduce(Int64(0)) { $0 + $1.segments.reduce(0) { $0 + Int64($1.recordCount) } }),
             topic.config.cleanupPolicy.description, TopicSettings.retention(topic.config)]
        }
        rows += offline.map { [$0.name, "offline", "-", "-", "damaged: `topic describe \($0.name)` says where"] }
        rows.sort { $0[0] < $1[0] }
        let header = ["TOPIC", "PARTITIONS", "RECORDS", "CLEANUP", "RETENTION"]
        // A name may be 249 characters: cut long ones so every row stays one line of the width.
        let others = (1..<header.count).reduce(0) { sum, column in sum + 2 + ([header] + rows).map { $0[column].displayWidth }.max()! }
        let nameWidth = max(20, width - others)
        let cut = rows.contains { $0[0].displayWidth > nameWidth }
        for index in rows.indices { rows[index][0] = rows[index][0].truncated(to: nameWidth) }
        say(Table.render(header: header, rows: rows))
        if cut { say("names ending in … are cut to fit: Tab completes them in full") }
    }

    func describeTopic(_ invocation: Invocation) throws {
        let topic = try broker.describeTopic(invocation.arguments[0])
        say("\(topic.name) · \(topic.partitions.count) partition\(topic.partitions.count == 1 ? "" : "s") · \(TopicSettings.summary(topic.config))")
        if let overrides = TopicSettings.overrides(topic.config) { say(overrides) }
        let rows = topic.partitions.map { partition in
            [String(partition.index), String(partition.logStartOffset), String(partition.logEndOffset),
             String(partition.segments.reduce(0) { $0 + $1.recordCount }), String(partition.segments.count),
             SizeText.format(Int64(partition.segments.reduce(0) { $0 + $1.byteCount }))]
        }
        say(Table.render(header: ["PARTITION", "LOG-START", "LOG-END", "RECORDS", "SEGMENTS", "SIZE"], rows: rows))
    }

    func alterTopic(_ invocation: Invocation) throws {
        let name = invocation.arguments[0]
        let current = try broker.describeTopic(name)
        let config = try TopicSettings.apply(invocation, to: current.config)
        let partitions = try invocation.value("--partitions").map { try number($0, for: "--partitions", atLeast: 1) }
        if let partitions, partitions <= current.partitions.count {
            throw ShellError("topic '\(name)' has \(current.partitions.count) partitions; partitions can be added but never removed, so ask for more than \(current.partitions.count)")
        }
        guard config != current.config || partitions != nil else {
            throw ShellError("nothing to change: give --partitions or a setting such as --retention 1d (see `help topic alter`)")
        }
        try config.validate()
        if config != current.config { try broker.alterTopic(name, config: config) }
        if let partitions { try broker.addPartitions(name, to: partitions) }
        let now = try broker.describeTopic(name)
        say("altered topic \(name): \(now.partitions.count) partition\(now.partitions.count == 1 ? "" : "s") · \(TopicSettings.summary(now.config))")
        if partitions != nil { say("note: keys now map to \(now.partitions.count) partitions; records already written stay where they are") }
    }

    func deleteTopic(_ invocation: Invocation) throws {
        let groups = try broker.deleteTopic(invocation.arguments[0])
        let lost = groups.isEmpty ? "" : " · group\(groups.count == 1 ? "" : "s") \(groups.map(TerminalText.escape).joined(separator: ", ")) lost \(groups.count == 1 ? "its offsets" : "their offsets") on it"
        say("deleted topic \(TerminalText.escape(invocation.arguments[0]))\(lost)")
    }

    /// Parses `text` as a partition index of `topic`.
    func partition(_ text: String, of topic: TopicDescription) throws -> Int32 {
        let index = try number(text, for: "--partition")
        guard index < topic.partitions.count else {
            throw ShellError("topic '\(topic.name)' has no partition \(index): its partitions are 0 to \(topic.partitions.count - 1)")
        }
        return Int32(index)
    }

    /// Parses a whole number option or argument.
    func number(_ text: String, for name: String, atLeast minimum: Int = 0) throws -> Int {
        guard let value = try NumberText.parse(text, for: name).map(Int.init) else { throw ShellError("\(name) needs a whole number, not '\(text)'") }
        guard value >= minimum else { throw ShellError("\(name) must be at least \(minimum), not \(value)") }
        return value
    }
}
