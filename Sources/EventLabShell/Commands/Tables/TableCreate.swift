import EventLabCore
import EventLabPatterns

/// `table create NAME --from TOPIC`.
struct TableCreate: ShellCommand {
    static let spec = CommandSpec(
        path: ["table", "create"], arguments: [ArgumentSpec("NAME", .text)],
        options: [OptionSpec("--from", .topic, help: "the topic it replicates: the last value per key, a tombstone deleting its key")],
        summary: "Create a table: a local copy of a topic, last value per key.",
        teaches: "Event-carried state transfer: the events carry the state, so a consumer keeps its own copy and looks values up in it (`table(\"customer-view\", $.customer)` in a rule) instead of calling the service that owns them. It keeps working while that service is down, but its copy can be stale. A table is built by reading its topic from the start; on a compacted topic (`topic create customers --compact`) that reads little more than the last record per key.",
        examples: ["table create customer-view --from customers", "topic create customers --compact; table create customer-view --from customers"])

    let name: String
    let topic: String

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        try TableName.check(name)
        guard let topic = words.value("--from") else {
            throw ShellError("`table create` needs --from TOPIC: the topic the table copies, e.g. `table create \(name) --from customers`")
        }
        self.topic = topic
    }

    func run(in shell: Shell) throws {
        let topics = shell.broker.topics().map(\.name)
        // A kept definition whose topic is gone stays defined, empty: each drain says why it
        // cannot read, and the topic created again fills it.
        if shell.isRestoringFlows, !topics.contains(topic) {
            return try shell.changeFlows { try $0.add(EventLabPatterns.Table(name: name, topic: topic)) }
        }
        guard topics.contains(topic) else {
            let known = topics.isEmpty ? "there are no topics yet" : "topics: \(topics.joined(separator: ", "))"
            throw ShellError("topic '\(topic)' does not exist (\(known)); create it, compacted so a rebuild reads little more than the last value per key: `topic create \(topic) --compact`")
        }
        // A name already taken is refused before the topic is read, however long it is.
        var trial = shell.flows
        try trial.add(EventLabPatterns.Table(name: name, topic: topic))
        let built = try TableBuild(name, from: topic, in: shell.broker)
        try shell.changeFlows { try $0.add(built.table) }
        for line in built.lines("built", eventLogReaders: TableBuild.eventLogReaders(of: topic, in: shell.flows), width: shell.width) { shell.say(line) }
    }
}

/// `table rebuild NAME`.
struct TableRebuild: ShellCommand {
    static let spec = CommandSpec(
        path: ["table", "rebuild"], arguments: [ArgumentSpec("TABLE", .table)], options: [],
        summary: "Build a table again from its topic, saying what it read.",
        teaches: "A table is a cache of its topic, so it can always be thrown away and rebuilt from the log — after a restart, or to fix a bad copy. The cost is reading the topic: a compacted topic keeps only the last record per key in its cleaned segments, so rebuilding from it reads far fewer records than from a plain topic with every update. Rebuild a table of each kind and compare the figures.",
        examples: ["table rebuild customer-view"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let topic = try shell.flows.table(name).topic
        let built = try TableBuild(name, from: topic, in: shell.broker)
        try shell.changeFlows { try $0.replace(built.table) }
        for line in built.lines("rebuilt", eventLogReaders: TableBuild.eventLogReaders(of: topic, in: shell.flows), width: shell.width) { shell.say(line) }
    }
}

/// A table read from its topic's log start, with what that read.
struct TableBuild {
    let table: EventLabPatterns.Table
    let report: TableReadReport
    /// Offsets below the partitions' log starts: records deleted before the build could read them.
    let deletedBefore: Int64

    init(_ name: String, from topic: String, in broker: Broker) throws(BrokerError) {
        deletedBefore = try broker.describeTopic(topic).partitions.reduce(0) { $0 + $1.logStartOffset }
        (table, report) = try EventLabPatterns.Table.rebuild(name, from: topic, in: broker)
    }

    func lines(_ verb: String, eventLogReaders: [String], width: Int) -> [String] {
        TableText.built(table, verb, report, deletedBefore: deletedBefore, eventLogReaders: eventLogReaders, width: width)
    }

    /// The aggregates and projections that read `topic` as their events, e.g. `aggregate wallet`.
    static func eventLogReaders(of topic: String, in flows: Flows) -> [String] {
        flows.aggregates.values.filter { $0.aggregate.source == topic }.map { "aggregate \($0.aggregate.name)" }.sorted()
            + flows.projections.values.filter { $0.readModel.projection.sources.contains(topic) }.map { "projection \($0.readModel.projection.name)" }.sorted()
    }
}

/// `table delete NAME`.
struct TableDelete: ShellCommand {
    static let spec = CommandSpec(
        path: ["table", "delete"], arguments: [ArgumentSpec("TABLE", .table)], options: [],
        summary: "Delete a table; its topic keeps the records to rebuild it.",
        teaches: "A table owns no data: the topic is the source of truth, and the table a copy anyone can rebuild with `table create`. Rules that look values up in a deleted table fail, as a cache gone missing would.",
        examples: ["table delete customer-view"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let topic = try shell.flows.table(name).topic
        try shell.changeFlows { try $0.removeTable(name) }
        shell.say("table \(name) deleted; \(topic) keeps the records to build it again")
        let quoted = "\"\(name)\""
        let users = shell.flows.services.keys.sorted().filter { service in
            let definition = shell.flows.services[service]!.service
            return definition.rules.contains { $0.rule.source.contains(quoted) } || definition.queries.contains { $0.source.contains(quoted) }
        }
        if !users.isEmpty {
            shell.warn("\(users.joined(separator: ", ")) look\(users.count == 1 ? "s" : "") values up in \(name): those lookups now fail")
        }
    }
}
