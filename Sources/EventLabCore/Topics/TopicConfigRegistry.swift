/// Every topic config EventLab knows, by Kafka's name, in the order `topic describe` and
/// DescribeConfigs list them.
///
/// A new config is one entry here (a field of `TopicConfig` and its rule) plus what it does.
public enum TopicConfigRegistry {
    /// All topic configs, sorted by name.
    public static let entries: [TopicConfigEntry] = [
        cleanupPolicy,
        .long("delete.retention.ms", \.deleteRetentionMs, atLeast: 0,
              "how long compaction keeps a tombstone (a null value) after the first cleaning that saw it (its delete horizon), in ms"),
        .long("max.compaction.lag.ms", \.maxCompactionLagMs, atLeast: 1,
              "clean a partition whose oldest uncleaned record is older than this, in ms, whatever its dirty ratio"),
        .int("max.message.bytes", \.maxMessageBytes, atLeast: Int64(RecordBatch.headerSize),
             "the largest record batch the topic accepts, in bytes"),
        messageTimestampType,
        minCleanableDirtyRatio,
        .long("min.compaction.lag.ms", \.minCompactionLagMs, atLeast: 0,
              "leave uncleaned the segments from the first one holding a record younger than this, in ms"),
        .int("min.insync.replicas", \.minInsyncReplicas, atLeast: 1,
             "how many in-sync replicas an acks=all write needs: with fewer, it is refused (NOT_ENOUGH_REPLICAS)"),
        .limit("retention.bytes", .long, \.retentionBytes, atLeast: 0, none: "for no limit",
               "delete the oldest segments (the active one rolled first) while the rest still hold this many bytes per partition; -1: no limit"),
        .limit("retention.ms", .long, \.retentionMs, atLeast: 0, none: "keeps records forever",
               "delete segments (the active one rolled first) whose newest record is older than this, in ms; -1 keeps records forever"),
        .limit("retention.records", .long, \.retentionRecords, atLeast: 0, none: "for no limit", own: true,
               "like retention.bytes, counted in records per partition; -1: no limit"),
        .int("segment.bytes", \.segmentBytes, atLeast: 14,
             "roll the active segment before a batch would take it past this many bytes"),
        .long("segment.ms", \.segmentMs, atLeast: 1,
              "roll the active segment once its first record is this old, in ms"),
        .limit("segment.records", .int, \.segmentRecords, atLeast: 1, none: "for no limit", own: true,
               "roll the active segment at the first batch boundary past this many records, so cleaning can be watched; -1: no limit"),
        uncleanLeaderElectionEnable,
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })

    /// The entry called `name`.
    ///
    /// - Throws: `INVALID_CONFIG` naming the closest known config, or listing them all.
    public static func entry(_ name: String) throws(BrokerError) -> TopicConfigEntry {
        if let entry = byName[name] { return entry }
        let scored = entries.map { ($0.name, editDistance(name.lowercased(), $0.name)) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 4) {
            throw BrokerError(.invalidConfig, "\(name) is not a topic config: did you mean \(best.0)?")
        }
        throw BrokerError(.invalidConfig, "\(name) is not a topic config: EventLab knows \(entries.map(\.name).joined(separator: ", "))")
    }

    /// `message.timestamp.type`: `CreateTime` or `LogAppendTime`, spelt as Kafka spells them.
    private static let messageTimestampType = TopicConfigEntry(
        name: "message.timestamp.type", type: .string,
        documentation: "which time a record carries: CreateTime (the producer's) or LogAppendTime (the broker clock's when the batch is appended, stamped over the producer's)",
        isEventLabOwn: false,
        read: { $0.messageTimestampType.rawValue },
        write: { config, text throws(BrokerError) in
            guard let type = TopicConfig.TimestampType(rawValue: text) else {
                throw BrokerError(.invalidConfig, "message.timestamp.type=\(text) is not a timestamp type: give CreateTime or LogAppendTime")
            }
            config.messageTimestampType = type
        })

    /// `unclean.leader.election.enable`: true or false, as Kafka spells booleans.
    private static let uncleanLeaderElectionEnable = TopicConfigEntry(
        name: "unclean.leader.election.enable", type: .boolean,
        documentation: "let a replica that is not in sync lead when no in-sync one is alive: the partition stays available, and the acknowledged records it lacks are lost",
        isEventLabOwn: false,
        read: { String($0.uncleanLeaderElectionEnable) },
        write: { config, text throws(BrokerError) in
            guard let value = Bool(text.lowercased()) else {
                throw BrokerError(.invalidConfig, "unclean.leader.election.enable=\(text) is not a boolean: give true or false")
            }
            config.uncleanLeaderElectionEnable = value
        })

    /// `min.cleanable.dirty.ratio`: a fraction from 0 to 1, as Kafka's double.
    private static let minCleanableDirtyRatio = TopicConfigEntry(
        name: "min.cleanable.dirty.ratio", type: .double,
        documentation: "clean a compacted partition once the bytes after its last cleaning are above this share of its closed segments' bytes",
        isEventLabOwn: false,
        read: { String($0.minCleanableDirtyRatio) },
        write: { config, text throws(BrokerError) in
            guard let ratio = Double(text), ratio.isFinite, (0...1).contains(ratio) else {
                throw BrokerError(.invalidConfig, "min.cleanable.dirty.ratio=\(text) is not a ratio: give a number from 0 to 1, such as 0.5")
            }
            config.minCleanableDirtyRatio = ratio
        })

    /// `cleanup.policy`: a list of `delete` and `compact`, spaces after commas allowed, as Kafka reads lists.
    private static let cleanupPolicy = TopicConfigEntry(
        name: "cleanup.policy", type: .list,
        documentation: "what cleaning does to closed segments: delete old ones, compact (keep the last record per key), or compact,delete",
        isEventLabOwn: false,
        read: { $0.cleanupPolicy.description },
        write: { config, text throws(BrokerError) in
            guard !text.isEmpty else { throw BrokerError(.invalidConfig, "cleanup.policy is empty: give delete, compact or compact,delete") }
            var policy: TopicConfig.CleanupPolicy = []
            for word in text.split(separator: ",", omittingEmptySubsequences: false).map({ String($0).trimmingSpaces }) {
                switch word {
                case "delete": policy.insert(.delete)
                case "compact": policy.insert(.compact)
                default:
                    throw BrokerError(.invalidConfig, "cleanup.policy=\(text) has '\(word)': give delete, compact or compact,delete")
                }
            }
            config.cleanupPolicy = policy
        })

    /// Levenshtein distance, for suggesting the config a misspelt name meant.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in a.indices {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for j in b.indices {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
