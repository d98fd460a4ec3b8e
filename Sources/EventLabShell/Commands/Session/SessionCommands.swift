import Foundation

/// The session itself: resetting the workspace, running scripts, help, and leaving.
enum SessionCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [WorkspaceReset.self, Source.self, Help.self, Exit.self]
    static let aliases = ["quit": "exit"]
    static let completions = [
        Completion(.file) { Completer.files($0.partial, listDirectory: $0.listDirectory) },
        Completion(.command) { $0.registry.commandWords },
    ]
}

extension ValueKind {
    /// The words of a command, such as `topic create`.
    static let command = ValueKind("command", placeholder: "COMMAND")
    /// A file path.
    static let file = ValueKind("file", placeholder: "FILE")
}

/// `workspace reset`.
struct WorkspaceReset: ShellCommand {
    static let spec = CommandSpec(
        path: ["workspace", "reset"], arguments: [], options: [OptionSpec("--yes", help: "do not ask for confirmation (needed without a terminal)")],
        summary: "Delete every topic and group offset in this workspace.",
        teaches: "A fresh start: nothing else in Kafka resets this way.",
        examples: ["workspace reset", "workspace reset --yes"])

    let yes: Bool

    init(_ words: Invocation) { yes = words.has("--yes") }

    func run(in shell: Shell) throws {
        let topics = shell.broker.topics().map(\.name)
        if !yes {
            // Without a terminal nobody can answer, and a piped reset must not delete silently.
            guard shell.isInteractive, let confirm = shell.confirm else {
                throw ShellError("workspace reset deletes every topic and asks first, and there is no terminal to ask: add --yes (`workspace reset --yes`); nothing deleted")
            }
            guard confirm("Delete all \(topics.count) topics and every group's offsets? [y/N] ") else {
                return shell.say("nothing deleted")
            }
        }
        for topic in topics { try shell.broker.deleteTopic(topic) }
        shell.say("workspace reset: deleted \(topics.count) topic\(topics.count == 1 ? "" : "s") and their group offsets")
    }
}

/// `source FILE`.
struct Source: ShellCommand {
    static let spec = CommandSpec(
        path: ["source"], arguments: [ArgumentSpec("FILE", .file)], options: [],
        summary: "Run the commands in a file, stopping at the first error.",
        teaches: "Scripts make a session repeatable.",
        examples: ["source examples/orders.txt", "source examples/orders.txt; show orders"])

    let path: String

    init(_ words: Invocation) { path = words.arguments[0] }

    func run(in shell: Shell) throws {
        guard !shell.sourcing.contains(path) else { throw ShellError("\(path) is already being sourced: a script cannot source itself") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShellError("cannot read \(path): check the path (relative paths start from \(FileManager.default.currentDirectoryPath))")
        }
        shell.sourcing.append(path)
        defer { shell.sourcing.removeLast() }
        let succeeded = ScriptRunner(shell: shell, keepGoing: false).run(bytes: Array(data), name: path)
        if !succeeded { throw ShellError("\(path) stopped at its first error") }
    }
}

/// `exit`, or `quit`.
struct Exit: ShellCommand {
    static let spec = CommandSpec(
        path: ["exit"], arguments: [], options: [],
        summary: "Leave EventLab (Ctrl-D does the same).",
        teaches: "The workspace keeps everything for next time.",
        examples: ["exit", "quit"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) { shell.wantsExit = true }
}
