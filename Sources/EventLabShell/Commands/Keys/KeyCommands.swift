import EventLabCore

/// Explaining where a key's records go.
enum KeyCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [ExplainKey.self]
}

/// `explain key KEY TOPIC`.
struct ExplainKey: ShellCommand {
    static let spec = CommandSpec(
        path: ["explain", "key"], arguments: [ArgumentSpec("KEY", .text), ArgumentSpec("TOPIC", .topic)], options: [],
        summary: "Show which partition a key goes to, and why.",
        teaches: "The partition is murmur2(key bytes) & 0x7fffffff mod the partition count: the same in EventLab and in Kafka's Java producer.",
        examples: ["explain key o-1 orders", "explain key customer-42 customers"])

    let key: String
    let topic: String

    init(_ words: Invocation) {
        key = words.arguments[0]
        topic = words.arguments[1]
    }

    func run(in shell: Shell) throws {
        let topic = try shell.broker.describeTopic(self.topic)
        let bytes = Array(key.utf8)
        let hash = Murmur2.hash(bytes)
        let positive = hash & 0x7fff_ffff
        let count = Int32(topic.partitions.count)
        let steps = [
            ("murmur2(key bytes)", "\(hash)", ""),
            ("& 0x7fffffff", "\(positive)", "   (drops the sign bit)"),
            ("mod \(count) partition\(count == 1 ? "" : "s")", "\(positive % count)", ""),
        ]
        let width = steps.map(\.0.count).max() ?? 0
        shell.say("key '\(key)' is \(bytes.count) byte\(bytes.count == 1 ? "" : "s") of UTF-8")
        for (label, value, note) in steps {
            shell.say("  \(label.padding(width)) = \(value)\(note)")
        }
        shell.say("so '\(key)' always goes to \(topic.name) p\(positive % count), as with Kafka's Java producer, while the topic has \(count) partition\(count == 1 ? "" : "s")")
    }
}
