/// One command of the language as one type: what it looks like (its spec), how its words become
/// its own stored properties, and what it does.
///
/// A command reaches the shell only by being listed in a ``CommandGroup``; the parser, `help`,
/// completion and "did you mean" all read that registry, so a command cannot be listed without
/// running or run without being listed.
public protocol ShellCommand: Sendable {
    /// Its words, arguments, options, summary, what it teaches, and examples.
    static var spec: CommandSpec { get }
    /// Reads the words the parser checked against ``spec`` into the command's properties.
    init(_ words: Invocation) throws(ShellError)
    /// Runs the command on `shell`'s broker, writing to its output.
    func run(in shell: Shell) throws
}
