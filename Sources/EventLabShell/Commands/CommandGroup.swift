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
}

extension CommandGroup {
    public static var aliases: [String: String] { [:] }
    public static var completions: [Completion] { [] }
    public static var renamed: [Renaming] { [] }
    public static var notes: [String: String] { [:] }
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
