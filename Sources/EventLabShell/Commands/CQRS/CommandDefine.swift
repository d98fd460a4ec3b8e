import EventLabCore
import EventLabPatterns

/// `command NAME --aggregate AGGREGATE [--key EXPR] when CONDITION emit TOPIC TEMPLATE … [else reject MESSAGE]`.
struct CommandDefine: ShellCommand {
    static let spec = CommandSpec(
        path: ["command", "create"],
        arguments: [ArgumentSpec("NAME", .text), ArgumentSpec("DEFINITION", .text, optional: true, variadic: true)], options: [],
        summary: "Define a command: `command NAME --aggregate AGG when COND emit TOPIC TEMPLATE …`.",
        teaches: "The write side of CQRS. `send NAME JSON` reads the key from the payload (--key, else the aggregate's own key expression), folds the aggregate's current state for that key, and tries the branches in order: the first `when` whose condition holds emits its events (several `emit`s append together); when none holds, `else emit` emits, or the command is rejected with `else reject`'s message and nothing is written. A command that always emits is just `emit TOPIC TEMPLATE`. Expressions read the payload as `$` and the key's state as `state`. Events go to the aggregate's own topic, keyed by the aggregate key, so they land in the key's partition and the aggregate folds them: an emit to another topic is refused. Defining a command again replaces it.",
        examples: [
            #"command withdraw --aggregate account when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount} else reject "insufficient funds: balance is " + string(state.balance)"#,
            #"command deposit --aggregate account emit accounts {"type":"Deposited","account":$.account,"amount":$.amount}"#,
        ],
        takesText: true)

    let name: String
    let definition: String

    init(_ words: Invocation) throws(ShellError) {
        name = words.arguments[0]
        if ["create", "list", "describe", "delete"].contains(name) {
            throw ShellError("a command cannot be called '\(name)': `command \(name)` is a command of its own; pick another name")
        }
        if let problem = FlowName.problem(name, naming: "a command", example: ", as in withdraw or open-account") { throw ShellError(problem) }
        // What follows the name, as typed: expressions keep their quotes and spaces.
        definition = Words.text(of: words.text, after: 1).replacingOccurrences(of: "\n", with: " ")
        guard words.arguments.count > 1 else {
            throw ShellError("`command \(name)` needs a definition: say `command \(name) --aggregate AGGREGATE when CONDITION emit TOPIC TEMPLATE else reject MESSAGE`; `help command` explains it")
        }
    }

    func run(in shell: Shell) throws {
        let command: Command
        do throws(RuleSyntaxError) {
            command = try Command(name: name, definition)
        } catch {
            throw ShellError("the command at column \(error.column): \(error.message)")
        }
        let aggregate = try shell.flows.aggregate(command.aggregate).aggregate
        do throws(CommandError) {
            try command.check(against: aggregate)
        } catch {
            throw ShellError("the command \(error.message)")
        }
        var replaced = false
        try shell.changeFlows { replaced = $0.define(command) }
        let key = command.key ?? aggregate.key
        shell.say("command \(name) \(replaced ? "replaced" : "defined"): `send \(name) JSON` validates it against aggregate \(aggregate.name)'s state for the key \(key) and appends its events to \(aggregate.source)")
    }
}

/// `command list`.
struct CommandList: ShellCommand {
    static let spec = CommandSpec(
        path: ["command", "list"], arguments: [], options: [],
        summary: "List the commands, with the aggregate each validates against.",
        teaches: "Each command belongs to one aggregate: the write model it is validated against, whose topic its events are appended to.",
        examples: ["command list"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        let commands = shell.flows.commands
        guard !commands.isEmpty else {
            return shell.say("no commands yet; define one with `command NAME --aggregate AGGREGATE when CONDITION emit TOPIC TEMPLATE`")
        }
        let rows = commands.keys.sorted().map { name in
            let command = commands[name]!
            let branches = command.branches.count
            // What a send meets when no condition holds: a last branch without one always emits.
            let otherwise = command.branches.last?.condition == nil ? "always emits" : "else reject"
            return [name, command.aggregate, "\(branches) branch\(branches == 1 ? "" : "es"), \(otherwise)"]
        }
        shell.say(Table.render(header: ["COMMAND", "AGGREGATE", "BRANCHES"], rows: rows))
    }
}

/// `command describe NAME`.
struct CommandDescribe: ShellCommand {
    static let spec = CommandSpec(
        path: ["command", "describe"], arguments: [ArgumentSpec("COMMAND", .definedCommand)], options: [],
        summary: "Show a command's branches, in the order they are tried, and its rejection.",
        teaches: "A command decides between events and a rejection: its branches are tried in order against the payload and the aggregate's current state, and the first that holds emits.",
        examples: ["command describe withdraw"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        let command = try shell.flows.command(name)
        let aggregate = try shell.flows.aggregate(command.aggregate).aggregate
        for line in command.describe(keyOfAggregate: aggregate.key) { shell.say(line) }
        shell.say("sent this session: \((shell.flows.commandTotals[name] ?? CommandTotals()).summary)")
    }
}

/// `command delete NAME`.
struct CommandDelete: ShellCommand {
    static let spec = CommandSpec(
        path: ["command", "delete"], arguments: [ArgumentSpec("COMMAND", .definedCommand)], options: [],
        summary: "Delete a command; the events it appended stay in the log.",
        teaches: "A command owns no data: what it decided lives on as events in its aggregate's topic, which the aggregate and projections keep reading.",
        examples: ["command delete withdraw"])

    let name: String

    init(_ words: Invocation) { name = words.arguments[0] }

    func run(in shell: Shell) throws {
        try shell.changeFlows { try $0.removeCommand(name) }
        shell.say("command \(name) deleted; the events it appended stay in the log")
    }
}
