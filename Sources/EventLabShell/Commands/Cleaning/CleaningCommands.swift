import EventLabCore

/// Running retention and compaction by hand.
enum CleaningCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [RetentionRun.self, CompactionRun.self]
}

/// `retention run [TOPIC]`.
struct RetentionRun: ShellCommand {
    static let spec = CommandSpec(
        path: ["retention", "run"], arguments: [ArgumentSpec("TOPIC", .topic, optional: true)], options: [],
        summary: "Run retention now: delete the oldest segments past the limits.",
        teaches: "Records expire a segment at a time, by the segment's newest record (Kafka's log.retention.ms): a segment goes once its newest record is older than retention.ms, or while the rest still hold retention.bytes. The active segment counts too: it is rolled first, so the log start moves to the log end.",
        examples: ["retention run orders", "clock advance 8d; retention run"])

    /// Nil for every topic.
    let topic: String?

    init(_ words: Invocation) { topic = words.argument(0) }

    func run(in shell: Shell) throws {
        let results = try shell.broker.runRetention(topic: topic)
        guard !results.isEmpty else {
            return shell.say("retention deleted nothing: a segment goes only once its newest record is older than retention (or while the rest still hold the size limits), the active one included")
        }
        for (partition, result) in results.sorted(by: { $0.key < $1.key }) {
            let records = result.deletedSegments.reduce(0) { $0 + $1.recordCount }
            shell.say("\(partition.topic) p\(partition.partition): deleted \(result.deletedSegments.count) segment\(result.deletedSegments.count == 1 ? "" : "s") (\(records) record\(records == 1 ? "" : "s")); log now starts at \(result.logStartOffset)")
        }
    }
}

/// `compaction run [TOPIC]`.
struct CompactionRun: ShellCommand {
    static let spec = CommandSpec(
        path: ["compaction", "run"], arguments: [ArgumentSpec("TOPIC", .topic, optional: true)], options: [],
        summary: "Run compaction now: keep the last record per key.",
        teaches: "Compaction keeps each key's latest value and drops older ones, but keeps offsets, so gaps appear. A tombstone (a null value) deletes its key, and is itself kept a while so consumers that are behind see the delete: the first cleaning that sees it sets its delete horizon to then plus delete.retention.ms (Kafka's KIP-534), and a cleaning at or after the horizon removes it, however old it was when first cleaned.",
        examples: ["compaction run customers", "compaction run"])

    /// Nil for every topic.
    let topic: String?

    init(_ words: Invocation) { topic = words.argument(0) }

    func run(in shell: Shell) throws {
        let results = try shell.broker.runCompaction(topic: topic)
        guard !results.isEmpty else {
            return shell.say("compaction changed nothing: it cleans only closed segments of compacted topics, and removes a record only when a later one in a closed segment has the same key")
        }
        for (partition, result) in results.sorted(by: { $0.key < $1.key }) {
            let name = "\(partition.topic) p\(partition.partition)"
            if result.changed {
                shell.say("\(name): removed \(result.removedRecords) record\(result.removedRecords == 1 ? "" : "s"); \(result.segmentsBefore) → \(result.segmentsAfter) segments; offsets kept, so gaps appear")
            }
            for tombstone in result.keptTombstones {
                shell.say("\(name): kept the tombstone @\(tombstone.offset) until its delete horizon \(TimeText.format(tombstone.horizonMs)) (the first cleaning that saw it + delete.retention.ms)")
            }
        }
    }
}
