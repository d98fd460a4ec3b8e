import EventLabCore
import EventLabPatterns

extension Shell {
    /// Brings every inline projection up to date and says what each read: what a command that
    /// appends events (`send`) calls before it returns, so an inline read model already has them.
    public func catchUpInlineProjections() {
        let before = flows
        let trace = flows.catchUpInline(broker, traceBudget: Self.traceBudget)
        tellProjections(trace, before: before)
    }

    /// Says what projections read in a drain or step: any whose group was reset and which
    /// followed it, then each record while few, else a line per projection; then any projection
    /// that could not read or commit anew.
    func tellProjections(_ trace: ProjectionTrace, before: Flows) {
        for name in trace.followed {
            let positions = before.projections[name].map { ProjectionText.positions($0.readModel.positions) } ?? "-"
            say("consumer group \(name) was moved from \(positions): projection \(name) replayed its read model from the log start up to the group's offsets, and reads on from there")
        }
        if trace.untraced == 0 {
            for step in trace.steps { say(ProjectionText.line(step)) }
        } else {
            for (name, read) in trace.read.sorted(by: { $0.key < $1.key }) {
                let applied = trace.applied[name] ?? 0, failed = trace.failed[name] ?? 0
                let failures = failed > 0 ? ", \(failed) failed a rule (`projection describe \(name)`)" : ""
                say("\(name) read \(read) event\(read == 1 ? "" : "s"): \(applied) applied, \(read - applied - failed) skipped\(failures)")
            }
        }
        for (name, slot) in flows.projections.sorted(by: { $0.key < $1.key }) {
            guard let problem = slot.problem, before.projections[name]?.problem != problem else { continue }
            warn("projection \(name) \(problem)")
        }
    }
}
