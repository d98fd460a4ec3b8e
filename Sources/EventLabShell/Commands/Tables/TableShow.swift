import EventLabCore
import EventLabPatterns

/// `table list`.
struct TableList: ShellCommand {
    static let spec = CommandSpec(
        path: ["table", "list"], arguments: [], options: [],
        summary: "List the tables: their topics, keys, and records behind.",
        teaches: "A table is only as fresh as the last record it read: BEHIND counts the records of its topic it has not read yet. Tables catch up after every command, or on `step` when the flow is manual.",
        examples: ["table list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let tables = shell.flows.tables.keys.sorted().map { shell.flows.tables[$0]! }
        guard !tables.isEmpty else { return shell.say("no tables yet: `table create NAME --from TOPIC` creates one") }
        let rows = tables.map { table in
            let behind = (try? table.staleness(in: shell.broker)).map { String($0.recordsBehind) } ?? "?"
            return [table.name, table.topic, String(table.count), behind]
        }
        shell.say(Table.render(header: ["TABLE", "TOPIC", "KEYS", "BEHIND"], rows: rows))
    }
}

/// `table show NAME`.
struct TableShow: ShellCommand {
    static let spec = CommandSpec(
        path: ["table", "show"], arguments: [ArgumentSpec("TABLE", .table)],
        options: [OptionSpec("--max", .number, help: "show at most N keys (50 unless given)")],
        summary: "Show a table's keys and values, and how far behind it is.",
        teaches: "A table holds the last value per key, each from one record of its topic (FROM is its partition and offset); a tombstone removed its key. The lines after them say how stale the copy is: the records of the topic it has not read yet, and how much older its newest value is; once it has read them all, when its last record was written — a copy cannot know of a change its producer has not published yet, so a stopped producer looks like a quiet one. With `flow manual` publish to the topic and look again: the table does not move until `step`.",
        examples: ["table show customer-view", "table show customer-view --max 10"])

    static let defaultMax = 50

    let name: String
    let maxText: String?

    init(_ words: Invocation) {
        name = words.arguments[0]
        maxText = words.value("--max")
    }

    func run(in shell: Shell) throws {
        let table = try shell.flows.table(name)
        let limit = try maxText.map { try shell.number($0, for: "--max", atLeast: 1) } ?? Self.defaultMax
        let entries = table.entries
        if entries.isEmpty {
            shell.say("\(name) holds no keys yet")
        } else {
            let shown = Array(entries.prefix(limit))
            let keys = shown.map { TerminalText.escape($0.key).truncated(to: 30) }
            let places = shown.map(TableText.place)
            let fixed = (keys + ["KEY"]).map(\.displayWidth).max()! + (places + ["FROM"]).map(\.displayWidth).max()! + 4
            let room = max(shell.width - fixed, 12)
            let rows = shown.indices.map { [keys[$0], places[$0], TableText.value(shown[$0].value).truncated(to: room)] }
            shell.say(Table.render(header: ["KEY", "FROM", "VALUE"], rows: rows))
            if entries.count > limit {
                shell.say("… \(TableText.count(entries.count - limit, "more key")): `table show \(name) --max \(entries.count)` shows all")
            }
        }
        for line in TableStale.lines(table, in: shell) { shell.say(line) }
    }
}

/// How far behind its topic a table is, said by `table show` and `table get`.
enum TableStale {
    /// The lines for `table`, or why they cannot be told: its topic is gone. With
    /// `onlyBehind`, nothing when it is up to date.
    static func lines(_ table: EventLabPatterns.Table, in shell: Shell, onlyBehind: Bool = false) -> [String] {
        do throws(BrokerError) {
            let staleness = try table.staleness(in: shell.broker)
            if onlyBehind && staleness.recordsBehind == 0 { return [] }
            return TableText.staleness(table, staleness, mode: shell.flows.mode, timesVary: shell.timesVary, width: shell.width)
        } catch {
            return ["\(table.name) cannot tell how far behind \(table.topic) it is (\(error.message)): it keeps what it read"]
        }
    }
}
