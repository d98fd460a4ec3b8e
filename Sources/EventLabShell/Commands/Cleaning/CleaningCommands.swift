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

/// `compaction run [TOPIC] [--force]`.
struct CompactionRun: ShellCommand {
    static let spec = CommandSpec(
        path: ["compaction", "run"], arguments: [ArgumentSpec("TOPIC", .topic, optional: true)],
        options: [OptionSpec("--force", help: "clean even when the dirty ratio is not above min.cleanable.dirty.ratio (the lags still hold)")],
        summary: "Run the log cleaner's next pass now: keep the last record per key.",
        teaches: "Compaction keeps each key's latest value and drops older ones, but keeps offsets, so gaps appear. The cleaner cleans closed segments only, and only a partition whose dirty ratio — bytes written since its last cleaning (after its cleaner checkpoint) over the bytes of its closed segments — is above min.cleanable.dirty.ratio (0.5), or whose oldest dirty record is older than max.compaction.lag.ms; segments from the first one holding a record younger than min.compaction.lag.ms wait. A tombstone (a null value) deletes its key, and is itself kept a while so consumers that are behind see the delete: the first cleaning that sees it sets its delete horizon to then plus delete.retention.ms (Kafka's KIP-534), and a cleaning at or after the horizon removes it, however old it was when first cleaned. On its own the cleaner runs this pass over compacted topics every log.cleaner.backoff.ms (15 s, how long Kafka's cleaner threads sleep when nothing is dirty enough); retention is a separate check, every log.retention.check.interval.ms.",
        examples: ["compaction run customers", "compaction run customers --force", "compaction run"])

    /// Nil for every topic.
    let topic: String?
    let force: Bool

    init(_ words: Invocation) {
        topic = words.argument(0)
        force = words.has("--force")
    }

    func run(in shell: Shell) throws {
        let results = try shell.broker.runCompaction(topic: topic, force: force)
        guard !results.isEmpty else {
            return shell.say("compaction had nothing to clean: it cleans only closed segments of compacted topics (cleanup.policy=compact)")
        }
        for (partition, result) in results.sorted(by: { $0.key < $1.key }) {
            let name = "\(partition.topic) p\(partition.partition)"
            guard let decision = result.decision else { continue }
            let shown = Self.format(decision.dirtyRatio, beside: decision.minRatio)
            let ratio = "dirty ratio \(shown.ratio)"
            switch decision.skip {
            case .minLag(let at):
                shell.say("\(name): skipped: every segment after the cleaner checkpoint @\(decision.firstDirtyOffset) holds a record younger than min.compaction.lag.ms; the first is cleanable at \(shell.time(at))")
                continue
            case .ratio:
                shell.say("\(name): skipped: \(ratio) is not above min.cleanable.dirty.ratio \(shown.limit) (--force cleans anyway)")
                continue
            case nil:
                break
            }
            let why = force ? "--force" : decision.pastMaxLag ? "a dirty record is older than max.compaction.lag.ms" : "above min.cleanable.dirty.ratio \(shown.limit)"
            let held = decision.heldByMinLag ? "; from @\(decision.firstUncleanableOffset) on, segments wait for min.compaction.lag.ms" : ""
            let what = result.changed
                ? "removed \(result.removedRecords) record\(result.removedRecords == 1 ? "" : "s"); \(result.segmentsBefore) → \(result.segmentsAfter) segments; offsets kept, so gaps appear"
                : "nothing to remove"
            shell.say("\(name): cleaned up to @\(decision.firstUncleanableOffset) (\(ratio), \(why)): \(what)\(held)")
            for tombstone in result.keptTombstones {
                shell.say("\(name): kept the tombstone @\(tombstone.offset) until its delete horizon \(shell.time(tombstone.horizonMs)) (the first cleaning that saw it + delete.retention.ms)")
            }
        }
    }

    /// A ratio with `decimals` decimals, as `0.67`.
    static func format(_ ratio: Double, decimals: Int = 2) -> String {
        let scale = (0..<decimals).reduce(1) { power, _ in power * 10 }
        let units = Int((ratio * Double(scale)).rounded())
        let fraction = String(units % scale)
        return "\(units / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A dirty ratio and the limit it is compared with, with two decimals or as many more as it
    /// takes to tell them apart, so that "0.5003, above 0.5000" reads as true as it is.
    static func format(_ ratio: Double, beside limit: Double) -> (ratio: String, limit: String) {
        var decimals = 2
        while decimals < 9, ratio != limit, format(ratio, decimals: decimals) == format(limit, decimals: decimals) { decimals += 1 }
        return (format(ratio, decimals: decimals), format(limit, decimals: decimals))
    }
}
