import EventLabCore

extension Shell {
    /// Parses `text` as a partition index of `topic`.
    func partition(_ text: String, of topic: TopicDescription) throws -> Int32 {
        let index = try number(text, for: "--partition")
        guard index < topic.partitions.count else {
            throw ShellError("topic '\(topic.name)' has no partition \(index): its partitions are 0 to \(topic.partitions.count - 1)")
        }
        return Int32(index)
    }

    /// Parses a whole number option or argument.
    func number(_ text: String, for name: String, atLeast minimum: Int = 0) throws -> Int {
        guard let value = try NumberText.parse(text, for: name).map(Int.init) else { throw ShellError("\(name) needs a whole number, not '\(text)'") }
        guard value >= minimum else { throw ShellError("\(name) must be at least \(minimum), not \(value)") }
        return value
    }
}

/// Topic settings as the command language spells them.
enum TopicSettings {
    /// The options that set a topic's configuration, shared by `topic create` and `topic alter`.
    static let options: [OptionSpec] = [
        OptionSpec("--retention", .retention, help: "keep records for a time (7d), a size (10MB) or a count (1000records); `forever` keeps all"),
        OptionSpec("--cleanup", .choice(["delete", "compact", "compact,delete"]), help: "what cleaning does: delete old segments, keep the last record per key, or both"),
        OptionSpec("--segment-records", .number, help: "roll a segment after this many records (small values let you watch cleaning)"),
        OptionSpec("--segment-bytes", .size, help: "roll a segment before it passes this size"),
        OptionSpec("--segment-age", .duration, help: "roll a segment once it is this old"),
        OptionSpec("--delete-retention", .duration, help: "how long compaction keeps a tombstone"),
        OptionSpec("--max-message-bytes", .size, help: "the largest batch the topic accepts"),
    ]

    /// `config` with the options of `invocation` applied.
    static func apply(_ invocation: Invocation, to config: TopicConfig) throws -> TopicConfig {
        var config = config
        if let retention = invocation.value("--retention") {
            switch retention.lowercased() {
            case "forever", "none":
                config.retentionMs = nil
                config.retentionBytes = nil
                config.retentionRecords = nil
            case let text where text.hasSuffix("records"):
                guard let count = Int64(String(text.dropLast("records".count)).trimmingSpaces), count >= 0 else {
                    throw ShellError("--retention \(retention): write a count as 1000records")
                }
                config.retentionRecords = count
            default:
                if let milliseconds = try TimeText.parseDuration(retention, for: "--retention") {
                    config.retentionMs = milliseconds
                } else if let bytes = SizeText.parse(retention), retention.uppercased().hasSuffix("B") {
                    config.retentionBytes = bytes
                } else {
                    throw ShellError("--retention \(retention) is not a time (7d), a size (10MB), a count (1000records) or forever")
                }
            }
        }
        if let cleanup = invocation.value("--cleanup") {
            switch cleanup {
            case "delete": config.cleanupPolicy = .delete
            case "compact": config.cleanupPolicy = .compact
            case "compact,delete", "delete,compact": config.cleanupPolicy = [.compact, .delete]
            default: throw ShellError("--cleanup takes delete, compact or compact,delete, not '\(cleanup)'")
            }
        }
        if let records = invocation.value("--segment-records") {
            guard let count = Int(records), count >= 1 else { throw ShellError("--segment-records needs a whole number of at least 1, not '\(records)'") }
            config.segmentRecords = count
        }
        if let bytes = invocation.value("--segment-bytes") {
            guard let size = SizeText.parse(bytes) else { throw ShellError("--segment-bytes needs a size such as 1MB, not '\(bytes)'") }
            guard size <= Int64(Int32.max) else { throw ShellError("--segment-bytes \(bytes) is more than the largest segment, \(Int32.max) bytes (Kafka counts a segment's bytes in an int): give a smaller size") }
            config.segmentBytes = Int(size)
        }
        if let age = invocation.value("--segment-age") {
            guard let milliseconds = try TimeText.parseDuration(age, for: "--segment-age"), milliseconds > 0 else { throw ShellError("--segment-age needs a duration such as 1h, not '\(age)'") }
            config.segmentMs = milliseconds
        }
        if let age = invocation.value("--delete-retention") {
            guard let milliseconds = try TimeText.parseDuration(age, for: "--delete-retention") else { throw ShellError("--delete-retention needs a duration such as 1d or 0s, not '\(age)'") }
            config.deleteRetentionMs = milliseconds
        }
        if let bytes = invocation.value("--max-message-bytes") {
            guard let size = SizeText.parse(bytes) else { throw ShellError("--max-message-bytes needs a size such as 1MB, not '\(bytes)'") }
            guard size <= Int64(Int32.max) else { throw ShellError("--max-message-bytes \(bytes) is more than the largest batch, \(Int32.max) bytes (Kafka counts a batch's bytes in an int): give a smaller size") }
            config.maxMessageBytes = Int(size)
        }
        return config
    }

    /// `cleanup delete · retention 7d`, plus the segment settings that differ from Kafka's.
    static func summary(_ config: TopicConfig) -> String {
        var parts = ["cleanup \(config.cleanupPolicy)", "retention \(retention(config))"]
        if let records = config.segmentRecords { parts.append("segments of \(records) record\(records == 1 ? "" : "s")") }
        if config.segmentBytes != TopicConfig().segmentBytes { parts.append("segments up to \(SizeText.format(Int64(config.segmentBytes)))") }
        if let age = config.segmentMs, age != TopicConfig().segmentMs { parts.append("segments roll after \(TimeText.formatDuration(age))") }
        if config.cleanupPolicy.contains(.compact) { parts.append("tombstones kept \(TimeText.formatDuration(config.deleteRetentionMs))") }
        return parts.joined(separator: " · ")
    }

    /// `7d`, `10MB`, `1000 records`, a combination, or `forever`.
    static func retention(_ config: TopicConfig) -> String {
        guard config.cleanupPolicy.contains(.delete) else { return "forever" }
        var parts: [String] = []
        if let ms = config.retentionMs { parts.append(TimeText.formatDuration(ms)) }
        if let bytes = config.retentionBytes { parts.append(SizeText.format(bytes)) }
        if let records = config.retentionRecords { parts.append("\(records) records") }
        return parts.isEmpty ? "forever" : parts.joined(separator: " or ")
    }
}
