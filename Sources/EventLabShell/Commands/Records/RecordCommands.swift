/// Writing and reading records.
enum RecordCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [Publish.self, Consume.self]
}
