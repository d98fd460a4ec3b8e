import ArgumentParser
import EventLabShell
import Foundation

/// `eventlab`: the REPL on a terminal; otherwise the commands of `-c`, `run FILE` or standard input.
@main
struct EventLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventlab",
        abstract: "A playground for learning event-driven architecture with Kafka's model.",
        discussion: """
            EventLab runs an embedded Kafka-like broker: create topics, publish, consume and \
            replay, and see partitions, offsets, consumer groups and lag drawn as text. On a \
            terminal it opens a prompt; with -c, `run FILE` or piped input it runs the commands \
            and exits 0 if all succeeded, 1 if one failed.

            A transcript is a session written down with its narration: `replay FILE` plays one \
            live for a class, `verify` checks in CI that its commands still print what it says.
            """,
        version: "0.1.0",
        subcommands: [Run.self, Serve.self, Verify.self, ReplayCommand.self]
    )

    /// Exit status for a bad argument to `eventlab` itself; 1 is kept for failed commands.
    static let badArgumentStatus: Int32 = 2

    @OptionGroup var session: SessionOptions

    @Option(name: .customShort("c"), help: "Run these commands (separated by ;) and exit.")
    var commands: String?

    @OptionGroup var script: ScriptOptions

    @OptionGroup var record: RecordOptions

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            exit(withError: ExitCode(badArgumentStatus))
        }
    }

    func run() throws {
        if let commands {
            throw ExitCode(Modes.script(session: session, record: record, keepGoing: script.keepGoing) { $0.run(bytes: Array(commands.utf8)) })
        }
        if isatty(0) == 1 && isatty(1) == 1 {
            throw ExitCode(Modes.repl(session: session, record: record))
        }
        throw ExitCode(Modes.standardInput(session: session, record: record, keepGoing: script.keepGoing))
    }
}

/// How a script runs: shared as a group, so `eventlab --keep-going run FILE` reaches `run` too
/// (a flag declared on both commands is parsed into the root's alone).
struct ScriptOptions: ParsableArguments {
    @Flag(help: "In a script, go on after a failed command; exit 1 at the end if any failed.")
    var keepGoing = false
}

/// `eventlab run FILE`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the commands in FILE and exit.")

    @OptionGroup var session: SessionOptions

    @Argument(help: "A file of commands, one per line.")
    var file: String

    @OptionGroup var script: ScriptOptions

    @OptionGroup var record: RecordOptions

    func run() throws {
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file): check the path")
        }
        throw ExitCode(Modes.script(session: session, record: record, keepGoing: script.keepGoing) { $0.run(bytes: Array(bytes), name: file) })
    }
}
