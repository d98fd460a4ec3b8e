import ArgumentParser
import Foundation

/// The `eventlab` command: for now it answers `--version` and `--help`.
@main
struct EventLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventlab",
        abstract: "A playground for learning event-driven architecture with Kafka's model.",
        discussion: """
            EventLab runs an embedded Kafka-like broker: create topics, publish, consume and \
            replay, and see partitions, offsets, consumer groups and lag drawn as text.
            """,
        version: "0.1.0"
    )

    /// Exit status for a bad argument to `eventlab` itself; 1 is kept for failed commands.
    static let badArgumentStatus: Int32 = 2

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
        print(Self.helpMessage())
    }
}
