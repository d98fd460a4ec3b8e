import EventLabCore
import EventLabPatterns

/// `query NAME [KEY]`.
struct Query: ShellCommand {
    static let spec = CommandSpec(
        path: ["query"], arguments: [ArgumentSpec("PROJECTION", .projection), ArgumentSpec("KEY", .projectionKey, optional: true)],
        options: [],
        summary: "Ask a projection's read model: one key's row, or every row; and how current the answer is.",
        teaches: "The query side of CQRS reads a model built for the question, not the events themselves, so it is fast and simple — and eventually consistent: the answer is as of the offsets the projection has reached, which the last line gives with how many events it is behind. That lag is the consistency window. A paused projection, or one in manual flow, answers visibly stale until it catches up; an --inline one is current as soon as the command that wrote returns.",
        examples: ["query balances", "query balances a-1"])

    let name: String
    let key: String?

    init(_ words: Invocation) {
        name = words.arguments[0]
        key = words.argument(1)
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.projection(name)
        let model = slot.readModel
        if let key {
            if let row = model.row(key) {
                for line in ProjectionText.rows([(key, row)]) { shell.say(line) }
            } else {
                shell.say("\(name) has no row \(TerminalText.escape(key))")
            }
        } else if model.count == 0 {
            shell.say(slot.projection.rules.isEmpty ? "\(name) has no rows: it has no rules yet" : "\(name) has no rows yet")
        } else {
            for line in ProjectionText.rows(model.entries) { shell.say(line) }
        }
        shell.say(ProjectionText.window(slot, in: shell))
    }
}
