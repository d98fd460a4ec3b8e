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
        // A name close to one that exists is likely a slip: mending the rule comes first then.
        func misspelt(_ name: String, among names: [String]) -> String? {
            guard let near = CommandParser.closest(name, among: names) else { return nil }
            return "did you mean \(near)? then `service \(service) replace \(number) on …` mends the rule; else "
        }
        var warnings: [String] = []
        for call in calls.sorted() {
            let shown = "`\(call)`"
            guard let callee = flows.services[call.service] else {
                let slip = misspelt(call.service, among: Array(flows.services.keys)) ?? ""
                warnings.append("rule \(number) of service \(service) calls \(shown), but there is no service \(call.service): \(slip)create it and give it `answers \(call.query)(PARAM) = EXPR`; \(fails)")
                continue
            }
            let queries = callee.service.queries.map(\.name)
            if !queries.contains(call.query) {
                let answers = queries.isEmpty ? "answers no queries" : "answers \(queries.map { "`\($0)`" }.joined(separator: ", "))"
                let slip = misspelt(call.query, among: queries) ?? ""
                warnings.append("rule \(number) of service \(service) calls \(shown), but service \(call.service) \(answers): \(slip)give it `service \(call.service) answers \(call.query)(PARAM) = EXPR`; \(fails)")
            }
        }
        for table in tables.sorted() where flows.tables[table] == nil {
            let slip = misspelt(table, among: Array(flows.tables.keys)) ?? ""
            warnings.append("rule \(number) of service \(service) looks up table \(table), but there is no such table: \(slip)`table create \(table) --from TOPIC` builds it; \(fails)")
        }
        return warnings
    }
}
