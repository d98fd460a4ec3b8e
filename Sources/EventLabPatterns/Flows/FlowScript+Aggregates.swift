extension FlowScript {
    /// Each aggregate's `aggregate create` line, then its rules under their numbers.
    static func aggregateLines(_ flows: Flows) -> [String] {
        var lines: [String] = []
        for name in flows.aggregates.keys.sorted() {
            let slot = flows.aggregates[name]!
            let aggregate = slot.aggregate
            var words = ["aggregate create", aggregate.name, "--from", aggregate.source, "--key", word(aggregate.key.source)]
            if aggregate.initial != .object([]) { words += ["--init", word(aggregate.initial.description)] }
            if case .header(let header) = aggregate.typeSource { words += ["--type-header", header] }
            if case .field(let field) = aggregate.typeSource, field != "type" { words += ["--type-field", field] }
            if let every = slot.snapshotEvery { words += ["--snapshot-every", String(every)] }
            // Rules removed from the end leave numbers the next rule must not take again.
            if aggregate.nextNumber != (aggregate.rules.map(\.number).max() ?? 0) + 1 { words += ["--next-rule", String(aggregate.nextNumber)] }
            lines.append(words.joined(separator: " "))
            for numbered in aggregate.rules {
                lines.append("aggregate \(aggregate.name) rule \(numbered.number) \(numbered.rule.source)")
            }
        }
        return lines
    }
}
