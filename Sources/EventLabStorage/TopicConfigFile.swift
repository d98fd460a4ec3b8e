import EventLabCore

/// A topic's `config` file: `partitions=N`, which says how many partition directories belong to
/// the topic, then every topic config as `name=value` in Kafka's names and spellings (`-1` for
/// no limit), one a line, so a person can read and edit it.
///
/// Values are read by `TopicConfigRegistry`, as CreateTopics and the shell's `--config` read
/// them. A config the file does not name keeps its default, as a topic without an override does
/// in Kafka, so a config added to the registry later reads files written before it.
enum TopicConfigFile {
    static func encode(_ config: TopicConfig, partitions: Int) -> [UInt8] {
        let lines = ["partitions=\(partitions)"] + config.values.map { "\($0.name)=\($0.value)" }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// The config and partition count in `bytes`, read from `path` (named in errors).
    static func decode(_ bytes: [UInt8], path: String) throws(BrokerError) -> (TopicConfig, Int) {
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { throw bad(path, "line '\(line)' is not name=value") }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let text = values.removeValue(forKey: "partitions") else { throw bad(path, "partitions is missing") }
        guard let partitions = Int(text), (1...Broker.maxPartitions).contains(partitions) else {
            let problem = Int(text) == nil ? "is not a whole number" : "is out of range"
            throw bad(path, "partitions=\(text) \(problem): a topic has 1 to \(Broker.maxPartitions) partitions")
        }
        do throws(BrokerError) {
            return (try TopicConfig(configs: values), partitions)
        } catch {
            throw bad(path, error.message)
        }
    }

    /// Rewrites a config file of workspace format 2, which spelt no limit `none`, in Kafka's
    /// spelling; its other lines, damaged ones included, stay as they were.
    static func migrateFromFormat2(_ bytes: [UInt8]) -> [UInt8] {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasSuffix("=none") else { return String(line) }
            // Kafka has no "never" for segment.ms; its largest value means the same.
            return line.dropLast("none".count) + (line == "segment.ms=none" ? String(Int64.max) : "-1")
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    private static func bad(_ path: String, _ problem: String) -> BrokerError {
        BrokerError(.invalidConfig, "\(path) is damaged: \(problem); fix the line or delete the topic's directory")
    }
}
