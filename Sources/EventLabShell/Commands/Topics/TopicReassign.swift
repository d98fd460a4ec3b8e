import EventLabCore

extension ValueKind {
    /// A list of broker ids, in preference order: `1,2,4`.
    static let brokerList = ValueKind("broker ids", placeholder: "N,N,…")
}

/// `topic reassign TOPIC P --replicas N,N,…`.
struct TopicReassign: ShellCommand {
    static let spec = CommandSpec(
        path: ["topic", "reassign"], arguments: [ArgumentSpec("TOPIC", .topic), ArgumentSpec("P", .partition)],
        options: [OptionSpec("--replicas", .brokerList, help: "the brokers that hold the partition afterwards, in preference order: the first is its preferred leader")],
        summary: "Move a partition's replicas to other brokers, as kafka-reassign-partitions does.",
        teaches: "Kafka never moves partitions by itself, not even onto a broker just added: an operator reassigns them. The new replicas start empty and fetch from the leader like any follower (Kafka's adding replicas); only once every new replica is in the ISR does the lead move, if its broker is leaving, and are the old copies deleted (removing replicas). Until then the partition has more replicas than it will keep, and `topic describe` shows them all. The replication factor may change on the way.",
        examples: ["broker add; topic reassign orders 0 --replicas 2,3,4", "topic reassign orders 1 --replicas 1,2"])

    let topic: String
    let partition: String
    let replicas: String?

    init(_ words: Invocation) {
        topic = words.arguments[0]
        partition = words.arguments[1]
        replicas = words.value("--replicas")
    }

    func run(in shell: Shell) throws {
        guard let replicas else {
            throw ShellError("topic reassign needs --replicas with the brokers that hold the partition afterwards, such as `topic reassign \(TerminalText.escape(topic)) \(partition) --replicas 1,2,3`")
        }
        let index = try shell.number(partition.hasPrefix("p") ? String(partition.dropFirst()) : partition, for: "P")
        var ids: [Int32] = []
        for word in replicas.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = Int32(word), id > 0 else {
                throw ShellError("--replicas takes broker ids separated by commas, such as 1,2,3, not '\(TerminalText.escape(replicas))'")
            }
            ids.append(id)
        }
        let events: [ClusterEvent]
        do {
            events = try shell.broker.reassign(topic, partition: Int32(clamping: index), to: ids)
        } catch {
            throw ShellError(error.description)
        }
        shell.say(events: events)
    }
}
