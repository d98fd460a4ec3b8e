/// Commands that belong together (topics, groups, cleaning …), registered with the completion
/// their values need, so adding a group of commands touches no central list but the registry's.
public protocol CommandGroup {
    /// The group's commands, in the order `help` lists them.
    static var commands: [any ShellCommand.Type] { get }
    /// Old words that still run a command of the group, with a note saying the new words.
    static var renamed: [Renaming] { get }
}

extension CommandGroup {
    public static var renamed: [Renaming] { [] }
}

/// Old words that still run the command that replaced them; `retired` is what any other command
/// starting with the old first word is told.
public struct Renaming: Sendable {
    public let old: [String]
    public let new: [String]
    /// Why the old first word leads nowhere else: said for every other command starting with it.
    public let retired: String

    init(_ old: [String], to new: [String], retired: String) {
        self.old = old
        self.new = new
        self.retired = retired
    }
}
