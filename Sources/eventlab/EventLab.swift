import ArgumentParser

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

    func run() throws {
        print(Self.helpMessage())
    }
}
