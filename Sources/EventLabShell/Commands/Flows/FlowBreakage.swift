import EventLabPatterns

/// What a deletion breaks in the flows built on what it deletes, said as warnings: the deletion
/// still happens, as Kafka's would, but the learner hears which services and tables it leaves
/// waiting or stopped.
enum FlowBreakage {
    /// The services and tables that read, emit to or copy `topic`.
    static func deleting(topic: String, in flows: Flows) -> [String] {
        var warnings: [String] = []
        let back = "until a topic \(topic) is created again"
        for name in flows.services.keys.sorted() {
            let service = flows.services[name]!.service
            if service.sources.contains(topic) {
                warnings.append("service \(name) reads \(topic): it waits, reading nothing from it, \(back)")
            }
            let rules = service.rules.filter { $0.rule.topic.rawValue == topic }.map { String($0.number) }
            if !rules.isEmpty {
                warnings.append("service \(name) emits to \(topic) (rule\(rules.count == 1 ? "" : "s") \(rules.joined(separator: ", "))): it stops at the next record such a rule reacts to, \(back)")
            }
            if service.deadLetter == topic {
                warnings.append("service \(name) dead-letters to \(topic): it stops at its next poison record, \(back)")
            }
        }
        for table in flows.tables.values.sorted(by: { $0.name < $1.name }) where table.topic == topic {
            warnings.append("table \(table.name) copies \(topic): it keeps the values it has and reads nothing new, \(back)")
        }
        return warnings
    }

    /// The other services' rules that call `service`'s queries.
    static func deleting(service: String, in flows: Flows) -> [String] {
        var warnings: [String] = []
        for name in flows.services.keys.sorted() where name != service {
            for numbered in flows.services[name]!.service.rules {
                let calls = numbered.rule.expressions.reduce(into: Set<Expression.CallTarget>()) { $0.formUnion($1.callsMade) }
                    .filter { $0.service == service }.sorted()
                guard !calls.isEmpty else { continue }
                let shown = calls.map { "`\($0)`" }.joined(separator: ", ")
                warnings.append("rule \(numbered.number) of service \(name) calls \(shown): a record that reaches the call fails as a poison record until a service \(service) answers it again")
            }
        }
        return warnings
    }
}
