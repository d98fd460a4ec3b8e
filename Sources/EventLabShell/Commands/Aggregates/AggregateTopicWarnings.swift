import EventLabCore
import EventLabPatterns

/// Why a topic's settings lose an aggregate's history: said when the aggregate is created on
/// it and when `topic alter` changes the settings under it.
enum AggregateTopicWarnings {
    /// The warnings `config` gives aggregate `name` folding `topic`: none when it keeps every record.
    static func warnings(_ name: String, topic: String, _ config: TopicConfig) -> [String] {
        var lines: [String] = []
        if config.cleanupPolicy.contains(.delete), config.retentionMs != nil || config.retentionBytes != nil || config.retentionRecords != nil {
            lines.append("\(topic) deletes records (cleanup.policy=\(config.cleanupPolicy), retention \(TopicSettings.retention(config))): once they go, \(name)'s history is incomplete and a rebuild gives other states, without an error; keep every event with `topic alter \(topic) --retention forever`")
        }
        if config.cleanupPolicy.contains(.compact) {
            lines.append("\(topic) is compacted: the cleaner keeps only the last record per record key, so \(name) loses the events before it; an event topic keeps them all (`topic alter \(topic) --cleanup delete --retention forever`)")
        }
        return lines
    }

    /// What altering `topic` from `before` to `after` newly costs the aggregates folding it.
    static func altered(_ topic: String, from before: TopicConfig, to after: TopicConfig, in flows: Flows) -> [String] {
        flows.aggregates.values.filter { $0.aggregate.source == topic }.map(\.aggregate.name).sorted().flatMap { name in
            let old = Set(warnings(name, topic: topic, before))
            return warnings(name, topic: topic, after).filter { !old.contains($0) }
        }
    }
}
