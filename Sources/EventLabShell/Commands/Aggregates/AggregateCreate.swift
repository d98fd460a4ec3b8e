import EventLabCore
import EventLabPatterns

/// `aggregate create NAME --from TOPIC --key EXPR [--init JSON] [--type-field F | --type-header H] [--snapshot-every N]`.
struct AggregateCreate: ShellCommand {
    static let spec = CommandSpec(
        path: ["aggregate", "create"], arguments: [ArgumentSpec("NAME", .text)],
        options: [
            OptionSpec("--from", .topic, help: "the topic of its events: the source of truth it folds"),
            OptionSpec("--key", .text, help: "each event's aggregate key, an expression such as $.account"),
            OptionSpec("--init", .text, help: "the state of a key before its first event, a JSON object such as {\"balance\":0} (default {})"),
        ] + EventSourceOptions.typeOptions + [
            OptionSpec("--snapshot-every", .number, help: "publish every key's state to the compacted topic NAME-snapshots after each N events folded (`aggregate alter NAME --snapshot-every N` changes it later)"),
            OptionSpec("--next-rule", .number, help: "the number its next rule gets; `flow export` writes it when rules were removed from the end, so numbers are never reused"),
        ],
        summary: "Create an aggregate: state per key folded from the events of a topic.",
        teaches: "Event sourcing: the events are the source of truth and the state is derived, a left fold of a key's events from an initial state. Nothing stores the state itself: throw it away and the log gives it back (`aggregate rebuild`), at any point of its past (`state NAME KEY --at`). So the topic must keep every event: a topic whose retention deletes records loses history silently. A key's events must keep their order, so publish them keyed by the aggregate key: they then live in one partition.",
        examples: [
            #"aggregate create account --from accounts --key $.account --init {"balance":0}"#,
            "aggregate create cart --from shop --key $.cart --type-header ce_type --snapshot-every 100",
        ])

    let name: String
    let topic: String
    let key: Expression
    let initial: JSON
    let typeSource: EventTypeSource
    let snapshotEvery: String?
    let nextRule: String?

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        try AggregateName.check(name)
        guard let topic = words.value("--from") else {
            throw ShellError("`aggregate create` needs --from TOPIC: the topic of its events, e.g. `aggregate create \(name) --from accounts --key $.account`")
        }
        self.topic = topic
        guard let keySource = words.value("--key") else {
            throw ShellError("`aggregate create` needs --key EXPR: which aggregate each event belongs to, e.g. --key $.account")
        }
        do throws(ExpressionSyntaxError) {
            key = try Aggregate.keyExpression(keySource)
        } catch {
            throw ShellError("--key '\(keySource)' does not parse \(error): give an expression reading each event's aggregate key, such as $.account")
        }
        if let text = words.value("--init") {
            guard let json = try? JSONParser.parse(text), case .object = json else {
                throw ShellError("--init '\(text)' is not a JSON object: give the state of a key before its first event, such as {\"balance\":0}")
            }
            initial = json
        } else {
            initial = .object([])
        }
        typeSource = try EventSourceOptions.typeSource(words)
        snapshotEvery = words.value("--snapshot-every")
        nextRule = words.value("--next-rule")
    }

    func run(in shell: Shell) throws {
        let every = try snapshotEvery.map { try shell.number($0, for: "--snapshot-every", atLeast: 1) }
        var aggregate = try Aggregate(name: name, source: topic, key: key, initial: initial, typeSource: typeSource)
        if let nextRule { aggregate.numberRules(from: try shell.number(nextRule, for: "--next-rule", atLeast: 1)) }
        // A kept definition whose topic is gone stays defined: it reads nothing until it is back.
        let description = shell.isRestoringFlows ? nil : try shell.broker.describeTopic(topic)
        try shell.changeFlows { flows in try flows.add(aggregate, snapshotEvery: every) }
        guard let description else { return }
        shell.say("aggregate \(name) folds \(topic) by \(key), each key starting at \(initial); give it rules with `aggregate \(name) on TYPE set FIELD = EXPR`")
        if aggregate.keyIsRecordKey {
            shell.say("each event's aggregate key is its record key, so a key's events live in one partition, in order; publish every event to \(topic) with a key, as `publish \(topic) key=ID {…}`: one without a key is not folded")
        } else {
            shell.say("publish each event to \(topic) with its aggregate key, the value of \(key), as its record key: a key's events then live in one partition, in order")
        }
        if let every { shell.say("it publishes every key's state to \(aggregate.snapshotTopic) after \(AggregateSnapshotSchedule.each(every))") }
        for warning in AggregateTopicWarnings.warnings(name, topic: topic, description.config) { shell.warn(warning) }
    }
}
