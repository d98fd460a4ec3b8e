import EventLabCore
import EventLabPatterns

/// Projections and queries: read models built from events — the read side of CQRS.
enum ProjectionCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        ProjectionCreate.self, ProjectionRuleCommand.self, ProjectionList.self, ProjectionDescribe.self, ProjectionPause.self,
        ProjectionResume.self, ProjectionRebuild.self, ProjectionDelete.self, Query.self,
    ]

    static let completions = [
        Completion(.projection) { context in context.flows().projections.keys.sorted() },
        Completion(.projectionKey) { context in
            guard let name = context.arguments.first, let slot = context.flows().projections[name] else { return [] }
            return slot.readModel.entries.map { TerminalText.escape($0.key) }.filter { !$0.isEmpty && !$0.contains(where: \.isWhitespace) }
        },
    ]

    static let bareNames = [
        BareName("projection", runs: ProjectionRuleCommand.self, kinds: [.projection]) { _ in
            "to give a projection rules, say `projection NAME on TYPE put KEY = VALUE`"
        },
    ]

    static let notes = [
        "projection": "CQRS splits writing from reading: commands append events, and projections turn those events into read models shaped for the questions asked (`query`). A projection is a consumer group of its name, like a service: while it runs it catches up after every command (or at each `step` in manual flow, once the services have nothing left), and commits its positions, so `group describe NAME` shows its lag. That lag is the consistency window: a query answers from what the projection has read, which may be behind the log — eventual consistency. An --inline projection is brought up to date within the command that appends the events (`send`), as Marten's inline projections are, so it is never stale for its own writer; the others are asynchronous. A read model is disposable: `projection rebuild` throws it away and replays the log from the start under the rules as they are now, as Marten's and Axon's rebuilds do; `group reset NAME` does the same up to the offsets it sets, as Axon's token reset. It lives in memory: when the workspace opens, each read model is rebuilt from the log, up to the offsets its group committed, under its rules as they are then — so it stands where it stood, unless its rules changed since its last rebuild: then it answers as a rebuild would.",
    ]
}

extension ValueKind {
    /// A projection's name.
    static let projection = ValueKind("projection", placeholder: "PROJECTION")
    /// A key a projection's read model holds.
    static let projectionKey = ValueKind("projection key", placeholder: "KEY")
}

/// A projection name: the name of its consumer group, so a group id's rules (a topic name's
/// characters keep it one plain word in scripts).
enum ProjectionName {
    static func check(_ name: String) throws(ShellError) {
        let words = ProjectionCommands.commands.filter { $0.spec.path[0] == "projection" }.map { $0.spec.path[1] }
        if words.contains(name) {
            throw ShellError("a projection cannot be called '\(name)': `projection \(name)` is a command of its own; pick another name, such as \(name)-view")
        }
        if let problem = FlowName.problem(name, naming: "a projection", example: ", as in balances or orders-by-customer") { throw ShellError(problem) }
    }
}
