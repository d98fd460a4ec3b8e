/// The commands the shell knows, built from its command groups: the parser, `help`, completion,
/// "did you mean" and renamed-command notes all read it.
public struct CommandRegistry: Sendable {
    /// Every command, in the order `help` lists them.
    public let commands: [any ShellCommand.Type]
    /// The specs of ``commands``, in the same order.
    public let specs: [CommandSpec]
    /// Other first words for commands (`quit` for `exit`).
    let aliases: [String: String]
    let renamed: [Renaming]
    let notes: [String: String]
    /// The first words that take a name where a subcommand would go.
    let bareNames: [String: BareName]
    private let completions: [String: Completion]

    /// The registry of `groups`' commands, in the order given.
    public init(groups: [any CommandGroup.Type]) {
        commands = groups.flatMap { $0.commands }
        specs = commands.map { $0.spec }
        aliases = Dictionary(groups.flatMap { $0.aliases }) { first, _ in first }
        renamed = groups.flatMap { $0.renamed }
        notes = Dictionary(groups.flatMap { $0.notes }) { first, _ in first }
        bareNames = Dictionary(groups.flatMap { $0.bareNames }.map { ($0.word, $0) }) { first, _ in first }
        completions = Dictionary(groups.flatMap { $0.completions }.map { ($0.kind, $0) }) { first, _ in first }
    }

    /// EventLab's command groups, in the order `help` lists them.
    public static let standardGroups: [any CommandGroup.Type] = [
        TopicCommands.self, RecordCommands.self, GroupCommands.self, ServiceCommands.self, FlowCommands.self, TableCommands.self, PictureCommands.self, AggregateCommands.self, CommandCommands.self, ProjectionCommands.self, UpcastCommands.self,
        CleaningCommands.self, BrokerCommands.self,
        ClockCommands.self, KeyCommands.self, NetworkCommands.self, RecordingCommands.self, LessonCommands.self, SessionCommands.self,
    ]

    /// EventLab's commands.
    public static let standard = CommandRegistry(groups: standardGroups)

    /// The first words of all commands and their aliases, sorted.
    public var commandWords: [String] {
        Array(Set(specs.map { $0.path[0] } + aliases.keys)).sorted()
    }

    /// The commands whose first word is `word`, or whose alias it is.
    func family(_ word: String) -> [any ShellCommand.Type] {
        let word = aliases[word] ?? word
        return commands.filter { $0.spec.path[0] == word }
    }

    /// What Tab offers for a value of `kind`: the completion a group registered for it, else the
    /// kind's fixed words.
    func completions(_ kind: ValueKind, _ context: CompletionContext) -> [String] {
        completions[kind.name]?.values(context) ?? kind.words
    }
}
