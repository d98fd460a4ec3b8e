import EventLabCore
import EventLabPatterns

/// `service skip NAME [--to TOPIC]`.
struct ServiceSkip: ShellCommand {
    static let spec = CommandSpec(
        path: ["service", "skip"], arguments: [ArgumentSpec("SERVICE", .service)],
        options: [OptionSpec("--to", .topic, help: "first copy the record to this topic, as a dead letter, to look at later")],
        summary: "Move a service past the poison record it stopped at.",
        teaches: "A poison pill — a record a consumer cannot handle — blocks its partition: with commit-after the consumer retries it forever. Skipping commits the offset after it; --to keeps a copy, as a dead-letter queue does (`service create … --dead-letter TOPIC` does it by itself).",
        examples: ["service skip billing", "service skip billing --to billing-dlq"])

    let name: String
    let deadLetter: String?

    init(_ words: Invocation) {
        name = words.arguments[0]
        deadLetter = words.value("--to")
    }

    func run(in shell: Shell) throws {
        let slot = try shell.flows.service(name)
        guard let stop = slot.stop, stop.kind == .poison, let place = stop.record else {
            throw ShellError("service \(name) is not stopped on a poison record, so there is nothing to skip: `service describe \(name)` shows its state")
        }
        if let deadLetter {
            guard !slot.service.sources.contains(deadLetter) else {
                throw ShellError("\(deadLetter) is a topic service \(name) reads: the copy would come back to it and stop it again; give another topic, such as \(name)-dlq")
            }
            try shell.requireTopic(deadLetter)
            guard let record = try shell.broker.read(place.topic, partition: place.partition, from: place.offset, maxRecords: 1).first,
                  record.offset == place.offset
            else {
                throw ShellError("the record at \(FlowText.place(place)) is gone from the log (retention or compaction removed it), so there is nothing to copy; skip without --to")
            }
            let letter = DeadLetter.emission(record, at: place, to: deadLetter, service: name, rule: nil, reason: stop.reason)
            _ = try shell.broker.publish(deadLetter, [ProducerRecord(key: letter.key, value: letter.value, headers: letter.headers)])
        }
        let partition = TopicPartition(place.topic, place.partition)
        let answers = shell.broker.commitOffsets(groupId: name, offsets: [partition: CommittedOffset(offset: place.offset + 1)])
        if let refused = answers.first(where: { $0.value != .none }) {
            throw ShellError("committing offset \(place.offset + 1) for group \(name) was refused (\(refused.value)): is a real client in the group? Stop it first")
        }
        try shell.changeFlows { try $0.clearStop(name) }
        shell.say("service \(name) skipped \(FlowText.place(place))\(deadLetter.map { ", copied to \($0)" } ?? ""); it reads on from offset \(place.offset + 1)")
    }
}
