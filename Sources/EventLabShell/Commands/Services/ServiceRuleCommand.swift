import EventLabCore
import EventLabPatterns

/// `service NAME on TYPE … emit …`, `service NAME replace N on …`, `service NAME remove N`,
/// `service NAME answers QUERY(PARAM) = EXPR`, `service NAME remove QUERY`.
struct ServiceRuleCommand: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "rule"], arguments: [ArgumentSpec("SERVICE", .service), ArgumentSpec("RULE", .text, optional: true, variadic: true)],
        options: [],
        summary: "Give a service a rule: `service NAME on TYPE [when COND] emit TOPIC TEMPLATE`.",
        teaches: "A reaction: when an event of TYPE arrives (and CONDITION holds), emit a new event built from its fields — the heart of event notification. `service NAME replace N on …` and `service NAME remove N` change rule N; the others keep their numbers. A rule applies from the service's current position: to run it over older records, stop the service, reset its group and start it again (`service stop NAME`, `group reset NAME --all-topics --to earliest --execute`, `service start NAME`): a running service is a member of its group, and Kafka resets only a group without members. `service NAME answers QUERY(PARAM) = EXPR` gives the service a query other services' rules may `call NAME.QUERY(…)`: a synchronous call, so the caller stops whenever NAME is stopped — the coupling event notification leaves when events carry too little. patterns/EXPRESSIONS.md describes the expressions.",
        examples: [
            #"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id,"amount":$.total} key=$.id"#,
            #"service billing on OrderPlaced when $.total > 100 emit fraud-checks {"type":"CheckRequested","order":$.id}"#,
            #"service billing replace 2 on OrderPlaced when $.total > 500 emit fraud-checks {"order":$.id}"#,
            "service billing remove 2",
            #"service customers answers address(id) = table("customer-view", id).address"#,
        ],
        takesText: true)

    enum Change {
        case rule(RuleEdit.Change)
        case answer(query: String)
        case forget(query: String)
    }

    let name: String
    let change: Change

    init(_ words: Invocation) throws(ShellError) {
        let rest = Array(words.arguments.dropFirst())
        switch rest.first {
        case "answers":
            name = words.arguments[0]
            change = .answer(query: Words.text(of: RuleEdit.text(words), after: 1))
        case "remove" where rest.count == 2 && Int(rest[1]) == nil:
            name = words.arguments[0]
            change = .forget(query: rest[1])
        default:
            let (name, change) = try RuleEdit.parse(
                words, kind: "service",
                usage: { name in "say `service \(name) on TYPE emit TOPIC TEMPLATE`, `service \(name) replace N on …`, `service \(name) remove N` or `service \(name) answers QUERY(PARAM) = EXPR`" },
                commands: ServiceCommands.commands)
            self.name = name
            self.change = .rule(change)
        }
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.service(name)
        switch change {
        case .rule(.add(let number, let text)):
            let rule = try RuleEdit.rule(text, ServiceRule.init)
            if !shell.isRestoringFlows { try shell.requireTopic(rule.topic.rawValue) }
            var added = 0
            try shell.changeFlows { flows in try flows.change(name) { service throws(ServiceError) in added = try service.add(rule, number: number) } }
            // A service that has read nothing yet reads from the earliest offset: there are no
            // older records to run the rule over, and so nothing to say about them.
            guard !shell.broker.committedOffsets(groupId: name).isEmpty else {
                shell.say("rule \(added) added to service \(name); \(name) has read nothing yet, so the rule applies to every record, from the earliest offset")
                return warnMissing(rule, number: added, in: shell)
            }
            // A deduplicating service remembers the id of every record it read, matched by a rule
            // or not, so a reset skips those; records read before --dedupe (an adopted group's)
            // are not remembered, and a reset would run the rules over them.
            let older = slot.service.dedupe == nil
                ? "to run it over older records, stop it, reset its group and start it again: `service stop \(name)`, `group reset \(name) --all-topics --to earliest --execute`, `service start \(name)`"
                : "\(name) remembers the id of every record it has read with --dedupe, matched by a rule or not, and a group reset would skip those as duplicates: this rule runs over the records it has not read yet"
            shell.say("rule \(added) added to service \(name); it applies from \(name)'s current position\(Self.position(slot, in: shell)); \(older)")
            warnMissing(rule, number: added, in: shell)
        case .rule(.replace(let number, let text)):
            let rule = try RuleEdit.rule(text, ServiceRule.init)
            try shell.requireTopic(rule.topic.rawValue)
            try shell.changeFlows { flows in try flows.change(name) { service throws(ServiceError) in try service.replace(number, with: rule) } }
            shell.say("rule \(number) of service \(name) replaced; it applies from \(name)'s current position\(Self.position(slot, in: shell))")
            warnMissing(rule, number: number, in: shell)
        case .rule(.remove(let number)):
            try shell.changeFlows { flows in try flows.change(name) { service throws(ServiceError) in try service.remove(number) } }
            shell.say("rule \(number) removed from service \(name); the other rules keep their numbers")
        case .answer(let text):
            let query: ServiceQuery
            do throws(ExpressionSyntaxError) {
                query = try ServiceQuery(text)
            } catch {
                throw ShellError("the query at column \(error.column): \(error.message)")
            }
            let replacing = slot.service.queries.contains { $0.name == query.name }
            try shell.changeFlows { flows in
                try flows.change(name) { service throws(ServiceError) in
                    if replacing { try service.replace(query) } else { try service.add(query) }
                }
            }
            shell.say("service \(name) \(replacing ? "now answers" : "answers") \(query.name)(\(query.parameter)); a rule calls it as `call \(name).\(query.name)(EXPR)`; while \(name) is stopped, a caller waits at the record that calls it")
        case .forget(let query):
            try shell.changeFlows { flows in try flows.change(name) { service throws(ServiceError) in try service.removeQuery(named: query) } }
            shell.say("service \(name) no longer answers \(query); rules that call it will stop on their next record")
        }
    }

    /// Warns of the services, queries and tables the rule needs that are not there; a workspace
    /// being restored may define them in a later line, so it is not warned.
    private func warnMissing(_ rule: ServiceRule, number: Int, in shell: Shell) {
        guard !shell.isRestoringFlows else { return }
        for warning in ServiceRuleWarnings.warnings(for: rule, number: number, of: name, in: shell.flows) { shell.warn(warning) }
    }

    /// ` (orders p0 @3)`: where the service's group stands on each partition it has committed.
    private static func position(_ slot: Flows.ServiceSlot, in shell: Shell) -> String {
        let committed = shell.broker.committedOffsets(groupId: slot.service.name)
        guard !committed.isEmpty else { return " (the earliest offset: it has read nothing yet)" }
        let places = committed.sorted { $0.key < $1.key }.map { "\($0.key.topic) p\($0.key.partition) @\($0.value.offset)" }
        return " (\(places.joined(separator: ", ")))"
    }
}
