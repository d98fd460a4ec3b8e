import EventLabCore

/// A topic's `config` file: Kafka's property names, one `name=value` a line, so a person can
/// read it; `partitions` says how many partition directories belong to the topic.
enum TopicConfigFile {
    static func encode(_ config: TopicConfig, partitions: Int) -> [UInt8] {
        func optional(_ value: (some BinaryInteger)?) -> String { value.map { String($0) } ?? "none" }
        let lines = [
            "partitions=\(partitions)",
            "cleanup.policy=\(config.cleanupPolicy)",
            "retention.ms=\(optional(config.retentionMs))",
            "retention.bytes=\(optional(config.retentionBytes))",
            "retention.records=\(optional(config.retentionRecords))",
            "segment.bytes=\(config.segmentBytes)",
            "segment.records=\(optional(config.segmentRecords))",
            "segment.ms=\(optional(config.segmentMs))",
            "max.message.bytes=\(config.maxMessageBytes)",
            "delete.retention.ms=\(config.deleteRetentionMs)",
        ]
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// The config and partition count in `bytes`, read from `path` (named in errors).
    static func decode(_ bytes: [UInt8], path: String) throws(BrokerError) -> (TopicConfig, Int) {
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { throw bad(path, "line '\(line)' is not name=value") }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        func integer(_ name: String) throws(BrokerError) -> Int64? {
            guard let text = values[name] else { throw bad(path, "\(name) is missing") }
            if text == "none" { return nil }
            guard let value = Int64(text) else { throw bad(path, "\(name)=\(text) is not a number") }
            return value
        }
        func required(_ name: String) throws(BrokerError) -> Int64 {
            guard let value = try integer(name) else { throw bad(path, "\(name) cannot be none") }
            return value
        }
        var config = TopicConfig()
        switch values["cleanup.policy"] {
        case "delete": config.cleanupPolicy = .delete
        case "compact": config.cleanupPolicy = .compact
        case "compact,delete": config.cleanupPolicy = [.compact, .delete]
        default: throw bad(path, "cleanup.policy must be delete, compact or compact,delete")
        }
        config.retentionMs = try integer("retention.ms")
        config.retentionBytes = try integer("retention.bytes")
        config.retentionRecords = try integer("retention.records")
        config.segmentBytes = Int(try required("segment.bytes"))
        config.segmentRecords = try integer("segment.records").map { Int($0) }
        config.segmentMs = try integer("segment.ms")
        config.maxMessageBytes = Int(try required("max.message.bytes"))
        config.deleteRetentionMs = try required("delete.retention.ms")
        let partitions = Int(try required("partitions"))
        do throws(BrokerError) {
            try config.validate()
        } catch {
            throw bad(path, error.message)
        }
        guard (1...Broker.maxPartitions).contains(partitions) else { throw bad(path, "partitions=\(partitions) is out of range") }
        return (config, partitions)
    }

    private static func bad(_ path: String, _ problem: String) -> BrokerError {
        BrokerError(.invalidConfig, "\(path) is damaged: \(problem); fix the line or delete the topic's directory")
    }
}
