import EventLabCore
import EventLabPatterns

/// `projection rebuild NAME`.
struct ProjectionRebuild: ShellCommand {
    static let spec = CommandSpec(
        path: ["projection", "rebuild"], arguments: [ArgumentSpec("PROJECTION", .projection)], options: [],
        summary: "Throw a projection's read model away and replay its topics from the log start under its rules as they are now.",
        teaches: "Events are the source of truth and a read model is derived from them: after a rule changes, or a bug is fixed, the read model is rebuilt by replaying old events — Marten's projection rebuild, Axon's token reset. The log must still hold them: events retention deleted are gone from the rebuild too.",
        examples: ["projection rebuild balances"])

    /// Keys named at most per kind of change; past that they are counted.
    static let keysShown = 5

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        var result: (old: ReadModel, read: Int)?
        try shell.changeFlows { flows in result = try flows.rebuildProjection(name, from: shell.broker) }
        guard let (old, read) = result, let slot = shell.flows.projections[name] else { return }
        let model = slot.readModel
        shell.say("projection \(name) rebuilt from the log start: replayed \(read) event\(read == 1 ? "" : "s") from \(slot.projection.sources.joined(separator: ", ")) under its \(slot.projection.rules.count) rule\(slot.projection.rules.count == 1 ? "" : "s"); now at \(ProjectionText.positions(model.positions))")
        let before = Dictionary(old.entries.map { ($0.key, $0.row) }) { first, _ in first }
        let after = Dictionary(model.entries.map { ($0.key, $0.row) }) { first, _ in first }
        let added = after.keys.filter { before[$0] == nil }.sorted()
        let removed = before.keys.filter { after[$0] == nil }.sorted()
        let changed = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
        shell.say("read model: \(model.count) row\(model.count == 1 ? "" : "s") (was \(old.count)): \(Self.list(added, "added")); \(Self.list(changed, "changed")); \(Self.list(removed, "removed"))")
        if model.failed > 0, let failure = model.lastFailure {
            // An event is applied whole or not at all, so a failing rule keeps the other rules
            // of its type from it too: the read model lacks those events entirely.
            let count = "\(model.failed) event\(model.failed == 1 ? "" : "s")"
            let failedWhat = failure.rule != nil ? "failed a rule" : failure.upcaster != nil ? "failed an upcaster" : "failed"
            shell.warn("\(count) \(failedWhat) in the replay, so none of their rules applied them: the read model lacks them entirely; the last: \(failure); \(failure.fix(model.projection.name))")
        }
        if let problem = slot.problem { shell.warn("projection \(name) \(problem)") }
    }

    /// `2 added (a-3, a-4)`, `none changed`.
    private static func list(_ keys: [String], _ what: String) -> String {
        guard !keys.isEmpty else { return "none \(what)" }
        let shown = keys.prefix(keysShown).map { TerminalText.escape($0) }.joined(separator: ", ")
        return "\(keys.count) \(what) (\(shown)\(keys.count > keysShown ? ", …" : ""))"
    }
}
