/// Commands that belong together (topics, groups, cleaning …), registered with what the shell
/// needs to know about their words, so adding a group touches no central list but the registry's.
public protocol CommandGroup {
    /// The group's commands, in the order `help` lists them.
    static var commands: [any ShellCommand.Type] { get }
    /// Other first words for a command of the group (`quit` for `exit`).
    static var aliases: [String: String] { get }
    /// How Tab completes the value kinds the group brings (live names, files).
    static var completions: [Completion] { get }
    /// Old words that still run a command of the group, with a note saying the new words.
    static var renamed: [Renaming] { get }
    /// What `help WORD` says after the pages of the commands starting with WORD.
    static var notes: [String: String] { get }
    /// First words that take a name where a subcommand would go (`show NAME`).
    static var bareNames: [BareName] { get }
}

extension CommandGroup {
    public static var aliases: [String: String] { [:] }
    public static var completions: [Completion] { [] }
    public static var renamed: [Renaming] { [] }
    public static var notes: [String: String] { [:] }
    public static var bareNames: [BareName] { [] }
}

/// A first word that takes a name where a subcommand would go: `show NAME` runs `show topic`
/// with ``Invocation/isBareName`` set, which draws a topic or a group.
public struct BareName: Sendable {
    /// The family's first word, such as `show`.
    public let word: String
    /// The command that runs for `WORD NAME`.
    public let command: any ShellCommand.Type
    /// What NAME may be, for completion.
    public let kinds: [ValueKind]
    /// Said when a subcommand is given without its name, which may have meant a name that is
    /// the subcommand's word: how to say that name.
    public let hint: @Sendable (String) -> String

    /// `word NAME` runs `command`; NAME completes as `kinds`.
    public init(_ word: String, runs command: any ShellCommand.Type, kinds: [ValueKind], hint: @escaping @Sendable (String) -> String) {
        self.word = word
        self.command = command
        self.kinds = kinds
        self.hint = hint
    }
}

/// Old words that still run the command that replaced them.
public struct Renaming: Hashable, Sendable {
    /// The words that still work, such as `["broker", "listen"]`.
    public let old: [String]
    /// The words they now stand for.
    public let new: [String]
    /// Why the old words go, said after a command run under them.
    public let reason: String
    /// What the new words are, said for any other command starting with the old first word.
    public let retired: String

    /// Runs `old` as `new`, saying `reason` after; other commands starting with `old[0]` are told `retired`.
    public init(_ old: [String], to new: [String], reason: String, retired: String) {
        self.old = old
        self.new = new
        self.reason = reason
        self.retired = retired
    }
}
