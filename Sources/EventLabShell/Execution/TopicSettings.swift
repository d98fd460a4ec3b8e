import EventLabCore

/// Topic settings as the command language spells them: friendly options such as `--retention 1d`
/// and `--config NAME=VALUE` in Kafka's spelling, each set through `TopicConfigRegistry`, so the
/// shell accepts and refuses what CreateTopics and the config file do.
enum TopicSettings {
    /// The options that set a topic's configuration, shared by `topic create` and `topic alter`.
    static let options: [OptionSpec] = [
        OptionSpec("--retention", .retention, help: "keep records for a time (7d), a size (10MB) or a count (1000records, EventLab's own retention.records); `forever` keeps all"),
        OptionSpec("--cleanup", .choice(["delete", "compact", "compact,delete"]), help: "what cleaning does: delete old segments, keep the last record per key, or both"),
        OptionSpec("--segment-records", .number, help: "roll a segment after this many records (EventLab's own segment.records; small values let you watch cleaning)"),
        OptionSpec("--segment-bytes", .size, help: "roll a segment before it passes this size"),
        OptionSpec("--segment-age", .duration, help: "roll a segment once it is this old"),
        OptionSpec("--delete-retention", .duration, help: "how long compaction keeps a tombstone after first cleaning it (delete.retention.ms)"),
        OptionSpec("--max-message-bytes", .size, help: "the largest batch the topic accepts (max.message.bytes), measured as the producer sent it: compressed bytes for a compressed batch"),
        OptionSpec("--config", .keyValue, repeatable: true, help: configHelp),
    ]

    /// `config` with the options of `invocation` applied: the friendly options first, then each
    /// `--config` in the order given.
    static func apply(_ invocation: Invocation, to config: TopicConfig) throws -> TopicConfig {
        var configs: [(name: String, value: String)] = []
        if let retention = invocation.value("--retention") {
            switch retention.lowercased() {
            case "forever", "none":
                configs += [("retention.ms", "-1"), ("retention.bytes", "-1"), ("retention.records", "-1")]
            case let text where text.hasSuffix("records"):
                guard let count = Int64(String(text.dropLast("records".count)).trimmingSpaces), count >= 0 else {
                    throw ShellError("--retention \(retention): write a count as 1000records")
                }
                configs.append(("retention.records", String(count)))
            default:
                if let milliseconds = try TimeText.parseDuration(retention, for: "--retention") {
                    configs.append(("retention.ms", String(milliseconds)))
                } else if let bytes = SizeText.parse(retention), retention.uppercased().hasSuffix("B") {
                    configs.append(("retention.bytes", String(bytes)))
                } else {
                    throw ShellError("--retention \(retention) is not a time (7d), a size (10MB), a count (1000records) or forever")
                }
            }
        }
        if let cleanup = invocation.value("--cleanup") {
            var probe = TopicConfig()
            guard (try? probe.set("cleanup.policy", to: cleanup)) != nil else {
                throw ShellError("--cleanup takes delete, compact or compact,delete, not '\(cleanup)'")
            }
            configs.append(("cleanup.policy", cleanup))
        }
        if let records = invocation.value("--segment-records") {
            guard let count = Int(records), count >= 1 else { throw ShellError("--segment-records needs a whole number of at least 1, not '\(records)'") }
            configs.append(("segment.records", String(count)))
        }
        if let bytes = invocation.value("--segment-bytes") {
            guard let size = SizeText.parse(bytes) else { throw ShellError("--segment-bytes needs a size such as 1MB, not '\(bytes)'") }
            guard size <= Int64(Int32.max) else { throw ShellError("--segment-bytes \(bytes) is more than the largest segment, \(Int32.max) bytes (Kafka counts a segment's bytes in an int): give a smaller size") }
            configs.append(("segment.bytes", String(size)))
        }
        if let age = invocation.value("--segment-age") {
            guard let milliseconds = try TimeText.parseDuration(age, for: "--segment-age"), milliseconds > 0 else { throw ShellError("--segment-age needs a duration such as 1h, not '\(age)'") }
            configs.append(("segment.ms", String(milliseconds)))
        }
        if let age = invocation.value("--delete-retention") {
            guard let milliseconds = try TimeText.parseDuration(age, for: "--delete-retention") else { throw ShellError("--delete-retention needs a duration such as 1d or 0s, not '\(age)'") }
            configs.append(("delete.retention.ms", String(milliseconds)))
        }
        if let bytes = invocation.value("--max-message-bytes") {
            guard let size = SizeText.parse(bytes) else { throw ShellError("--max-message-bytes needs a size such as 1MB, not '\(bytes)'") }
            guard size <= Int64(Int32.max) else { throw ShellError("--max-message-bytes \(bytes) is more than the largest batch, \(Int32.max) bytes (Kafka counts a batch's bytes in an int): give a smaller size") }
            configs.append(("max.message.bytes", String(size)))
        }
        for pair in invocation.options["--config"] ?? [] {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ShellError("--config \(pair): write NAME=VALUE with Kafka's name and spelling, such as --config retention.ms=-1")
            }
            configs.append((String(pair[..<equals]), String(pair[pair.index(after: equals)...])))
        }
        var config = config
        for (name, value) in configs { try config.set(name, to: value) }
        return config
    }

    /// The help of `--config`: what it takes, and which configs exist.
    static let configHelp = "set a topic config by Kafka's name and spelling, such as retention.ms=-1 (repeatable): "
        + TopicConfigRegistry.entries.map { $0.name + ($0.isEventLabOwn ? " (EventLab's own)" : "") }.joined(separator: ", ")

    /// `configs: retention.ms=86400000 · segment.records=4 (EventLab's own)`: the configs that
    /// differ from Kafka's defaults, or nil when none does.
    static func overrides(_ config: TopicConfig) -> String? {
        let own = Set(TopicConfigRegistry.entries.filter(\.isEventLabOwn).map(\.name))
        let changed = config.values.filter { !$0.isDefault }
        guard !changed.isEmpty else { return nil }
        return "configs: " + changed.map { "\($0.name)=\($0.value)" + (own.contains($0.name) ? " (EventLab's own)" : "") }.joined(separator: " · ")
    }

    /// `cleanup delete · retention 7d`, plus the segment settings that differ from Kafka's.
    static func summary(_ config: TopicConfig) -> String {
        var parts = ["cleanup \(config.cleanupPolicy)", "retention \(retention(config))"]
        if let records = config.segmentRecords { parts.append("segments of \(records) record\(records == 1 ? "" : "s")") }
        if config.segmentBytes != TopicConfig().segmentBytes { parts.append("segments up to \(SizeText.format(Int64(config.segmentBytes)))") }
        if config.segmentMs != TopicConfig().segmentMs { parts.append("segments roll after \(TimeText.formatDuration(config.segmentMs))") }
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
