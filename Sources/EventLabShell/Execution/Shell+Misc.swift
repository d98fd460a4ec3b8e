import EventLabCore
import Foundation

extension Shell {
    func runRetention(_ invocation: Invocation) throws {
        let results = try broker.runRetention(topic: invocation.argument(0))
        guard !results.isEmpty else {
            return say("retention deleted nothing: only closed segments older than retention (or beyond the size limits) go, and the active segment never does")
        }
        for (partition, result) in results.sorted(by: { $0.key < $1.key }) {
            let records = result.deletedSegments.reduce(0) { $0 + $1.recordCount }
            say("\(partition.topic) p\(partition.partition): deleted \(result.deletedSegments.count) segment\(result.deletedSegments.count == 1 ? "" : "s") (\(records) record\(records == 1 ? "" : "s")); log now starts at \(result.logStartOffset)")
        }
    }

    func runCompaction(_ invocation: Invocation) throws {
        let results = try broker.runCompaction(topic: invocation.argument(0))
        guard !results.isEmpty else {
            return say("compaction changed nothing: it cleans only closed segments of compacted topics, and removes a record only when a later one in a closed segment has the same key")
        }
        for (partition, result) in results.sorted(by: { $0.key < $1.key }) {
            say("\(partition.topic) p\(partition.partition): removed \(result.removedRecords) record\(result.removedRecords == 1 ? "" : "s"); \(result.segmentsBefore) → \(result.segmentsAfter) segments; offsets kept, so gaps appear")
        }
    }

    func explainKey(_ invocation: Invocation) throws {
        let key = invocation.arguments[0]
        let topic = try broker.describeTopic(invocation.arguments[1])
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
        say("key '\(key)' is \(bytes.count) byte\(bytes.count == 1 ? "" : "s") of UTF-8")
        for (label, value, note) in steps {
            say("  \(label.padding(width)) = \(value)\(note)")
        }
        say("so '\(key)' always goes to \(topic.name) p\(positive % count), as with Kafka's Java producer, while the topic has \(count) partition\(count == 1 ? "" : "s")")
    }

    func resetWorkspace(_ invocation: Invocation) throws {
        let topics = broker.topics().map(\.name)
        if !invocation.has("--yes") {
            // Without a terminal nobody can answer, and a piped reset must not delete silently.
            guard isInteractive, let confirm else {
                throw ShellError("workspace reset deletes every topic and asks first, and there is no terminal to ask: add --yes (`workspace reset --yes`); nothing deleted")
            }
            guard confirm("Delete all \(topics.count) topics and every group's offsets? [y/N] ") else {
                return say("nothing deleted")
            }
        }
        for topic in topics { try broker.deleteTopic(topic) }
        say("workspace reset: deleted \(topics.count) topic\(topics.count == 1 ? "" : "s") and their group offsets")
    }

    func source(_ invocation: Invocation) throws {
        let path = invocation.arguments[0]
        guard !sourcing.contains(path) else { throw ShellError("\(path) is already being sourced: a script cannot source itself") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShellError("cannot read \(path): check the path (relative paths start from \(FileManager.default.currentDirectoryPath))")
        }
        sourcing.append(path)
        defer { sourcing.removeLast() }
        let succeeded = ScriptRunner(shell: self, keepGoing: false).run(bytes: Array(data), name: path)
        if !succeeded { throw ShellError("\(path) stopped at its first error") }
    }
}
