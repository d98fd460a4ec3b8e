import EventLabCore
import EventLabPatterns

/// Commands: the write side of CQRS — validated against an aggregate, appending events or rejected.
enum CommandCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        CommandDefine.self, CommandList.self, CommandDescribe.self, CommandDelete.self, Send.self,
    ]

    static let completions = [
        Completion(.definedCommand) { context in context.flows().commands.keys.sorted() },
    ]

    static let bareNames = [
        BareName("command", runs: CommandDefine.self, kinds: [.definedCommand]) { _ in
            "to define a command, say `command NAME --aggregate AGGREGATE when CONDITION emit TOPIC TEMPLATE`"
        },
    ]

    static let notes = [
        "command": "CQRS (command query responsibility segregation) splits writing from reading. The write side is a command: a request such as `withdraw 30 from a-1`, validated against the write model — an aggregate's current state for the key, folded from its events — and either turned into events appended to the aggregate's topic, or rejected with nothing written. The read side is built from those events by projections, and queried there. This `command` is that construct; the REPL's own commands (topic, publish, service …) are listed by `help`. patterns/COMMANDS.md describes the language.",
        "send": "Kafka itself has no conditional append: a producer cannot make its write depend on where the log ends, so a validation can be overtaken by another writer before the write lands. Real systems keep one writer per key — one instance owns each key's partition, so nobody appends between its read and its write — or use transactions, whose consumed offsets and produced records commit together and fence a zombie instance. EventLab's broker has one, for this lesson: `send` appends only if the key's partition still ends where the command was validated, else catches up and validates again (at most 5 times), as EventStoreDB's expected version does.",
    ]
}

extension ValueKind {
    /// A command's name (CQRS's, not the REPL's).
    static let definedCommand = ValueKind("defined command", placeholder: "COMMAND")
}
