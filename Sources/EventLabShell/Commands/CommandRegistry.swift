/// The commands the shell knows, built from its command groups: the parser, `help`, completion,
/// "did you mean" and renamed-command notes all read it.
public struct CommandRegistry: Sendable {
    /// Every command, in the order `help` lists them.
    public let commands: [any ShellCommand.Type]
    /// The specs of ``commands``, in the same order.
    public let specs: [CommandSpec]
    let renamed: [Renaming]
    private let byPath: [[String]: any ShellCommand.Type]

    /// The registry of `groups`' commands, in the order given.
    public init(groups: [any CommandGroup.Type]) {
        commands = groups.flatMap { $0.commands }
        specs = commands.map { $0.spec }
        renamed = groups.flatMap { $0.renamed }
        byPath = Dictionary(commands.map { ($0.spec.path, $0) }) { first, _ in first }
    }

    /// EventLab's commands.
    public static let standard = CommandRegistry(groups: [
        TopicCommands.self,
    ])

    /// The first words of all commands, sorted.
    public var commandWords: [String] {
        Array(Set(specs.map { $0.path[0] } + ["quit"])).sorted()
    }

    /// The commands whose first word is `word`.
    func family(_ word: String) -> [CommandSpec] {
        specs.filter { $0.path[0] == word }
    }

    /// The command type with `spec`'s words.
    func command(for spec: CommandSpec) -> (any ShellCommand.Type)? {
        byPath[spec.path]
    }
}
