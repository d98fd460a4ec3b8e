import EventLabCore

/// A topic's `config` file: `partitions=N`, which says how many partitions the topic has, then —
/// only when this broker hosts some of them, not all — `hosted=0,2`, the indexes of those whose
/// directories belong here, then every topic config as `name=value` in Kafka's names and
/// spellings (`-1` for no limit), one a line, so a person can read and edit it. Without a
/// `hosted=` line, all N partition directories belong here.
///
/// Values are read by `TopicConfigRegistry`, as CreateTopics and the shell's `--config` read
/// them. A config the file does not name keeps its default, as a topic without an override does
/// in Kafka, so a config added to the registry later reads files written before it.
enum TopicConfigFile {
    /// What the file says.
    struct Contents {
        var config: TopicConfig
        /// The topic's partition count.
        var partitions: Int
        /// The partitions hosted here, ascending.
        var hosted: [Int]
    }

    static func encode(_ config: TopicConfig, partitions: Int, hosted: [Int]? = nil) -> [UInt8] {
        var lines = ["partitions=\(partitions)"]
        if let hosted, hosted != Array(0..<partitions) { lines.append("hosted=" + hosted.map(String.init).joined(separator: ",")) }
        lines += config.values.map { "\($0.name)=\($0.value)" }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// What `bytes`, read from `path` (named in errors), say.
    static func decode(_ bytes: [UInt8], path: String) throws(BrokerError) -> Contents {
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
        var hosted = Array(0..<partitions)
        if let list = values.removeValue(forKey: "hosted") {
            let fields = list.split(separator: ",", omittingEmptySubsequences: false)
            let parsed = fields.compactMap { Int($0) }
            guard parsed.count == fields.count, let first = parsed.first, let last = parsed.last, first >= 0, last < partitions,
                  zip(parsed, parsed.dropFirst()).allSatisfy({ $0 < $1 })
            else {
                throw bad(path, "hosted=\(list) is not a list of partition indexes, ascending, separated by commas, each below \(partitions)")
            }
            hosted = parsed
        }
        do throws(BrokerError) {
            return Contents(config: try TopicConfig(configs: values), partitions: partitions, hosted: hosted)
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
