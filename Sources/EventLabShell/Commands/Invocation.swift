/// A parsed command: which command, its positional words, option values and flags; not run yet.
public struct Invocation: Equatable, Sendable {
    /// The command the words are for.
    public let command: any ShellCommand.Type
    /// Positional words, in order.
    public var arguments: [String]
    /// Each option's values, in order given (several for repeatable options).
    public var options: [String: [String]]
    /// The flags given.
    public var flags: Set<String>
    /// True for a name where a subcommand would go (`show NAME`, a topic or a group).
    public var isBareName = false
    /// For a command that ``CommandSpec/takesText``: what follows its words, as typed.
    public var text = ""
    /// The old words typed for this command (`broker listen`), when they were not its own.
    public var renamed: Renaming?

    /// The command's spec.
    public var spec: CommandSpec { command.spec }

    /// The last value of `option`, if given.
    public func value(_ option: String) -> String? { options[option]?.last }

    /// Whether `flag` was given.
    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// Positional argument `index`, if given.
    public func argument(_ index: Int) -> String? { index < arguments.count ? arguments[index] : nil }

    public static func == (left: Invocation, right: Invocation) -> Bool {
        left.command == right.command && left.arguments == right.arguments && left.options == right.options
            && left.flags == right.flags && left.isBareName == right.isBareName && left.renamed == right.renamed
    }
}
