extension FlowScript {
    /// Each projection's lines: its `projection create`, its rules under their numbers, then
    /// `projection pause` for those paused. Read models are not in the script: they are built
    /// again from the log when the workspace opens, up to the offsets their groups committed.
    static func projectionLines(_ flows: Flows) -> [String] {
        var lines: [String] = []
        for name in flows.projections.keys.sorted() {
            let slot = flows.projections[name]!
            let projection = slot.projection
            var words = ["projection create", name, "--from", projection.sources.joined(separator: ",")]
            if case .header(let header) = projection.typeSource { words += ["--type-header", header] }
            if case .field(let field) = projection.typeSource, field != "type" { words += ["--type-field", field] }
            if slot.isInline { words.append("--inline") }
            // Rules removed from the end leave numbers the next rule must not take again.
            if projection.nextNumber != (projection.rules.map(\.number).max() ?? 0) + 1 { words += ["--next-rule", String(projection.nextNumber)] }
            lines.append(words.joined(separator: " "))
            for numbered in projection.rules {
                lines.append("projection \(name) rule \(numbered.number) \(numbered.rule.source)")
            }
        }
        for name in flows.projections.keys.sorted() where !flows.projections[name]!.isRunning {
            lines.append("projection pause \(name)")
        }
        return lines
    }
}
