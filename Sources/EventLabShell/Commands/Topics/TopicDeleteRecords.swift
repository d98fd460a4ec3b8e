import EventLabCore

extension ValueKind {
    /// Where `topic delete-records --before` cuts: an offset, or `end` (the high watermark).
    static let deleteBefore = ValueKind("offset", placeholder: "OFFSET|end", words: ["end"])
}

/// `topic delete-records TOPIC --before OFFSET|end [--partition N]`.
struct TopicDeleteRecords: ShellCommand {
    static let spec = CommandSpec(
        path: ["topic", "delete-records"], arguments: [ArgumentSpec("TOPIC", .topic)],
        options: [OptionSpec("--before", .deleteBefore, help: "delete the records before this offset: it becomes the log start; `end` (Kafka's -1) deletes up to the high watermark, every record there is"),
                  OptionSpec("--partition", .partition, help: "only this partition (without it, every partition of the topic)")],
        summary: "Delete a partition's records before an offset: move its log start up.",
        teaches: "Deleting records moves the partition's log start offset up to OFFSET, as kafka-delete-records.sh (DeleteRecords) does: nobody can read an earlier record again, and whole segments before it are deleted; offsets are never reused, so the next record still gets the log end. A consumer whose position is below the new log start is reset by its auto.offset.reset, as after retention. Kafka refuses an offset past the high watermark (OFFSET_OUT_OF_RANGE) and a compact-only topic (POLICY_VIOLATION); an offset below the log start changes nothing.",
        examples: ["topic delete-records orders --partition 0 --before 2", "topic delete-records orders --before end"])

    let topic: String
    let before: String?
    let partition: String?

    init(_ words: Invocation) {
        topic = words.arguments[0]
        before = words.value("--before")
        partition = words.value("--partition")
    }

    func run(in shell: Shell) throws {
        let name = TerminalText.escape(topic)
        guard let before else {
            throw ShellError("topic delete-records needs --before OFFSET (or --before end for every record), such as `topic delete-records \(name) --partition 0 --before 2`")
        }
        let offset = try Self.offset(before)
        let described = try shell.broker.describeTopic(topic)
        var partitions = described.partitions
        if let partition {
            let index = try shell.number(partition, for: "--partition")
            guard index < partitions.count else {
                throw ShellError(BrokerError(.unknownTopicOrPartition, "topic '\(name)' has no partition \(index): its partitions are 0 to \(partitions.count - 1)").description)
            }
            partitions = [partitions[index]]
        }
        // Every partition is checked before any is changed, so a refusal changes nothing.
        if let beyond = partitions.first(where: { offset > $0.highWatermark }) {
            let others = partitions.count > 1 ? "; give --partition to delete on the others" : ""
            throw ShellError(BrokerError(
                .offsetOutOfRange,
                "--before \(offset) is past the high watermark of \(name) partition \(beyond.index), \(beyond.highWatermark): records can be deleted only up to it (--before end)\(others)").description)
        }
        var rows: [[String]] = []
        for partition in partitions {
            let start: Int64
            do {
                start = try shell.broker.deleteRecords(topic, partition: partition.index, before: offset)
            } catch {
                throw ShellError(error.description)
            }
            let deleted = start > partition.logStartOffset ? (start - 1 == partition.logStartOffset ? "\(start - 1)" : "\(partition.logStartOffset)…\(start - 1)") : "-"
            rows.append([String(partition.index), deleted, String(start), String(partition.logEndOffset)])
        }
        shell.say(Table.render(header: ["PARTITION", "DELETED", "LOG-START", "LOG-END"], rows: rows))
        shell.say(rows.allSatisfy { $0[1] == "-" }
            ? "nothing deleted: the log already starts there"
            : "records before the log start can no longer be read; a consumer positioned before it starts by its auto.offset.reset")
    }

    /// `--before`'s offset: a whole number of 0 or more, or `end` (Kafka's -1).
    private static func offset(_ text: String) throws -> Int64 {
        if text == "end" || text == "-1" { return Broker.deleteRecordsToHighWatermark }
        guard let offset = try NumberText.parse(text, for: "--before"), offset >= 0 else {
            throw ShellError("--before takes an offset, a whole number of 0 or more, or end (the high watermark), not '\(TerminalText.escape(text))'")
        }
        return offset
    }
}
