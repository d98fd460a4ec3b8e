import EventLabCore
import EventLabPatterns

/// Tables: local replicas of a topic, the last value per key — event-carried state transfer.
enum TableCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        TableCreate.self, TableList.self, TableShow.self, TableGet.self, TableRebuild.self, TableDelete.self,
    ]

    static let completions = [
        Completion(.table) { context in context.flows().tables.keys.sorted() },
        Completion(.tableKey) { context in
            guard let name = context.arguments.first, let table = context.flows().tables[name] else { return [] }
            return table.entries.map { TerminalText.escape($0.key) }.filter { !$0.isEmpty && !$0.contains(where: \.isWhitespace) }
        },
    ]

    static let notes = [
        "table": "When tables read: after every command while the flow is automatic, and at the start of each `step` while it is manual. `table show`, `table list` and `table get` only look, so in manual flow they show the copy falling behind its topic. `table rebuild` reads the topic again from its log start.",
    ]
}

extension ValueKind {
    /// A table's name.
    static let table = ValueKind("table", placeholder: "TABLE")
    /// A key a table holds.
    static let tableKey = ValueKind("table key", placeholder: "KEY")
}

/// A table name: a topic name's characters, so it stays one plain word in scripts and a
/// `table("…")` lookup.
enum TableName {
    static func check(_ name: String) throws(ShellError) {
        if let problem = FlowName.problem(name, naming: "a table") { throw ShellError(problem) }
    }
}
