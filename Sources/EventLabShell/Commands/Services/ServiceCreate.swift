import EventLabCore
import EventLabPatterns

/// `service create NAME --from TOPIC[,TOPIC…] [--dedupe EXPR]`.
struct ServiceCreate: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "create"], arguments: [ArgumentSpec("NAME", .text)],
        options: [
            OptionSpec("--from", .topic, help: "the topic it reads, or several joined by commas"),
        ] + EventSourceOptions.typeOptions + [
            OptionSpec("--commit", .choice(["after", "before"]), help: "commit a record's offset after its emissions are produced (at-least-once, the default) or before it is handled (at-most-once)"),
            OptionSpec("--dead-letter", .topic, help: "send records it cannot handle to this topic instead of stopping there"),
            OptionSpec("--dedupe", .text, help: "skip a record whose id, this expression such as $.id, it has handled before; the ids are kept in the compacted topic NAME-dedupe"),
            OptionSpec("--adopt", help: "take over a consumer group of the same name that already has offsets, going on from them"),
            OptionSpec("--next-rule", .number, help: "the number its next rule gets; `flow export` writes it when rules were removed from the end, so numbers are never reused"),
        ],
        summary: "Create a service: a consumer that reacts to events by emitting new ones.",
        teaches: "Event notification: a service reacts to what happened elsewhere without the producer knowing it exists. A service is a Kafka consumer group of its name: its position is its committed offset, so `group describe NAME` and `show topic` show it with its lag like any consumer, and a new service starts at the earliest offset. While it runs it is a member of that group: a real client that joins the group (same group id) shares its partitions, as two consumers of a group do. Add rules with `service NAME on TYPE emit TOPIC TEMPLATE`. With --dedupe it is an idempotent consumer: it remembers each handled record's id in a compacted topic, written with its emissions before the commit, so a record handed over again after a crash is skipped.",
        examples: [
            "service create billing --from orders", "service create audit --from orders,payments --dead-letter audit-dlq",
            "service create shipping --from payments --type-header ce_type --commit before",
            "service create billing --from orders --dedupe $.id",
        ])

    let name: String
    let sources: [String]
    let typeSource: EventTypeSource
    let commit: CommitMode
    let deadLetter: String?
    let dedupe: Expression?
    let adopt: Bool
    let nextRule: String?

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        try ServiceName.check(name)
        guard let from = words.value("--from") else {
            throw ShellError("`service create` needs --from TOPIC: the topic the service reads, e.g. `service create \(name) --from orders`")
        }
        sources = try EventSourceOptions.sources(from, reader: "a service")
        typeSource = try EventSourceOptions.typeSource(words)
        let commitWord = words.value("--commit") ?? "after"
        guard let commit = CommitMode(rawValue: commitWord) else {
            throw ShellError("--commit takes after (at-least-once: commit once a record's emissions are produced) or before (at-most-once: commit before handling it), not '\(commitWord)'")
        }
        self.commit = commit
        deadLetter = words.value("--dead-letter")
        if let source = words.value("--dedupe") {
            do throws(ExpressionSyntaxError) {
                dedupe = try Expression(source)
            } catch {
                throw ShellError("--dedupe '\(source)' does not parse \(error): give an expression reading each record's id, such as $.id")
            }
        } else {
            dedupe = nil
        }
        adopt = words.has("--adopt")
        nextRule = words.value("--next-rule")
    }

    func run(in shell: Shell) throws {
        // A name already taken is the first thing wrong: a running service of that name is also
        // its consumer group's member, which the checks below would blame instead.
        var service = Service(name: name, sources: sources, typeSource: typeSource, commit: commit, deadLetter: deadLetter, dedupe: dedupe)
        if let nextRule { service.numberRules(from: try shell.number(nextRule, for: "--next-rule", atLeast: 1)) }
        var check = shell.flows
        try check.add(service)
        // A kept definition whose topics are gone stays defined: it reads nothing until they are back.
        if !shell.isRestoringFlows {
            for topic in sources { try shell.requireTopic(topic) }
            // A dead-letter topic is made for the service, so the way to one is worth saying.
            if let deadLetter, (try? shell.broker.describeTopic(deadLetter)) == nil {
                throw ShellError("the dead-letter topic \(deadLetter) does not exist: `topic create \(deadLetter)` makes it, then create the service")
            }
        }
        if let deadLetter, sources.contains(deadLetter) {
            throw ShellError("the dead-letter topic \(deadLetter) is one the service reads: its poison records would come back to it; give another topic")
        }
        let group = try? shell.broker.describeGroup(name)
        // Offsets on other topics (a service of that name once read them) do not move it.
        let committed = shell.broker.committedOffsets(groupId: name).filter { sources.contains($0.key.topic) }
        if let group, !group.members.isEmpty, !shell.isRestoringFlows {
            throw ShellError("consumer group \(name) has \(group.members.count) member\(group.members.count == 1 ? "" : "s") running: a service of that name would share its partitions with them; stop them or pick another name")
        }
        if !committed.isEmpty, !adopt, !shell.isRestoringFlows {
            throw ShellError("consumer group \(name) already has committed offsets, so a service of that name would go on from them rather than from the earliest offset: add --adopt to take the group over, or pick another name")
        }
        let memory = try dedupeTopic(service, in: shell)
        try shell.changeFlows { try $0.add(service) }
        let start = committed.isEmpty ? "from the earliest offset" : "from its committed offsets"
        shell.say("service \(name) reads \(sources.joined(separator: ", ")) as consumer group \(name), \(start); give it rules with `service \(name) on TYPE emit TOPIC TEMPLATE`")
        if let memory { shell.say(memory) }
    }

    /// Makes sure the topic where a deduplicating service remembers ids exists, creating it
    /// compacted (only each id's last record matters); says what was done, nil without dedupe.
    private func dedupeTopic(_ service: Service, in shell: Shell) throws -> String? {
        guard let dedupe = service.dedupe else { return nil }
        let topic = service.dedupeTopic
        if sources.contains(topic) || topic == deadLetter {
            throw ShellError("service \(name) keeps the ids it handles in \(topic), which it also reads or dead-letters to: give the service another name")
        }
        let remembers = "it skips a record whose \(dedupe) it has handled before"
        if (try? shell.broker.describeTopic(topic)) != nil {
            return "\(remembers), remembering the ids in the existing topic \(topic)"
        }
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        _ = try shell.broker.createTopic(topic, partitions: 1, config: config)
        return "\(remembers), remembering the ids in \(topic), created with cleanup.policy=compact"
    }
}
