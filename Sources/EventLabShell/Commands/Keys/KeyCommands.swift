import EventLabCore

/// Explaining where a key's records go.
enum KeyCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [ExplainKey.self]
}

/// `explain key KEY TOPIC`.
struct ExplainKey: ShellCommand {
    static let spec = CommandSpec(
        path: ["explain", "key"], arguments: [ArgumentSpec("KEY", .text), ArgumentSpec("TOPIC", .topic)], options: [],
        summary: "Show which partition a key goes to, and why, from Java's, librdkafka's and sarama's producers.",
        teaches: "Java's producer (and kafka-python) puts a key on murmur2(key bytes) & 0x7fffffff mod the partition count, as EventLab does. Other clients' default partitioners hash differently: librdkafka (confluent-kafka, kcat; partitioner=consistent_random) takes crc32(key) mod the count, sarama (Go) takes FNV-1a. So one key keeps one partition only while every producer of the topic uses the same partitioner.",
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
        let count = Int32(topic.partitions.count)
        let partitions = "mod \(count) partition\(count == 1 ? "" : "s")"
        let hash = Murmur2.hash(bytes)
        let java = ClientKeyPlacement.java(bytes, count: count)
        let crc = CRC32.checksum(bytes)
        let librdkafka = ClientKeyPlacement.librdkafka(bytes, count: count)
        let fnv = Int32(bitPattern: FNV1a.hash32(bytes))
        let sarama = ClientKeyPlacement.sarama(bytes, count: count)
        let sections: [(String, [(String, String, String)])] = [
            ("Java's producer and kafka-python (murmur2, the default partitioner):", [
                ("murmur2(key bytes)", "\(hash)", ""),
                ("& 0x7fffffff", "\(hash & 0x7fff_ffff)", "   (drops the sign bit)"),
                (partitions, "\(java)", ""),
            ]),
            ("librdkafka: confluent-kafka, kcat (partitioner consistent_random, its default):", librdkafka == nil
                ? [("an empty key", "random", "   (a random partition each time)")]
                : [("crc32(key bytes)", "\(crc)", "   (unsigned)"), (partitions, "\(librdkafka ?? 0)", "")]),
            ("sarama, Go (its default hash partitioner):", [
                ("fnv1a(key bytes)", "\(fnv)", "   (as int32)"),
                ("% \(count), sign kept", "\(fnv % count)", ""),
                ("negated if negative", "\(sarama)", ""),
            ]),
        ]
        let width = sections.flatMap { $0.1.map(\.0.count) }.max() ?? 0
        shell.say("key '\(key)' is \(bytes.count) byte\(bytes.count == 1 ? "" : "s") of UTF-8")
        for (title, steps) in sections {
            shell.say(title)
            for (label, value, note) in steps {
                shell.say("  \(label.padding(width)) = \(value)\(note)")
            }
        }
        let fromLibrdkafka = librdkafka.map { "p\($0)" } ?? "a random partition"
        shell.say("so '\(key)' goes to \(topic.name) p\(java) from Java's producer and kafka-python, \(fromLibrdkafka) from librdkafka and p\(sarama) from sarama, while the topic has \(count) partition\(count == 1 ? "" : "s"): a key keeps one partition only while every producer of the topic uses the same partitioner")
    }
}
