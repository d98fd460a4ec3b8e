import EventLabPatterns

/// What a rule refers to that is not there yet: a service or query it calls, a table it looks up.
/// Said as warnings, not errors, because a learner may define the callee after the caller; the
/// rule is kept either way.
enum ServiceRuleWarnings {
    /// One sentence per missing service, query or table that rule `number` of `service` needs.
    static func warnings(for rule: ServiceRule, number: Int, of service: String, in flows: Flows) -> [String] {
        var calls: Set<Expression.CallTarget> = []
        var tables: Set<String> = []
        for expression in rule.expressions {
            calls.formUnion(expression.callsMade)
            tables.formUnion(expression.tablesLookedUp)
        }
        let fails = "until then, a record that reaches it fails as a poison record"
        var warnings: [String] = []
        for call in calls.sorted() {
            let shown = "`\(call)`"
            guard let callee = flows.services[call.service] else {
                warnings.append("rule \(number) of service \(service) calls \(shown), but there is no service \(call.service): create it and give it `answers \(call.query)(PARAM) = EXPR`; \(fails)")
                continue
            }
            let queries = callee.service.queries.map(\.name)
            if !queries.contains(call.query) {
                let answers = queries.isEmpty ? "answers no queries" : "answers \(queries.map { "`\($0)`" }.joined(separator: ", "))"
                warnings.append("rule \(number) of service \(service) calls \(shown), but service \(call.service) \(answers): give it `service \(call.service) answers \(call.query)(PARAM) = EXPR`; \(fails)")
            }
        }
        for table in tables.sorted() where flows.tables[table] == nil {
            warnings.append("rule \(number) of service \(service) looks up table \(table), but there is no such table: `table create \(table) --from TOPIC` builds it; \(fails)")
        }
        return warnings
    }
}
