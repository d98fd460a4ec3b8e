import EventLabCore

/// A record a service could not handle, as it goes to a dead-letter topic: as it came (key,
/// value, headers) with Kafka Connect's dead-letter headers appended — `dlq.error` (why),
/// `dlq.service`, `dlq.rule` (when a rule failed), and `dlq.topic`, `dlq.partition`,
/// `dlq.offset` (where it was read).
public enum DeadLetter {
    /// `record`, read at `place`, as service `service` sends it to `topic` for `reason`.
    public static func emission(
        _ record: Record, at place: RecordPlace, to topic: String, service: String, rule: Int?, reason: String
    ) -> Emission {
        var headers = record.headers
        headers.append(RecordHeader(key: "dlq.error", value: Array(reason.utf8)))
        headers.append(RecordHeader(key: "dlq.service", value: Array(service.utf8)))
        if let rule { headers.append(RecordHeader(key: "dlq.rule", value: Array(String(rule).utf8))) }
        headers.append(RecordHeader(key: "dlq.topic", value: Array(place.topic.utf8)))
        headers.append(RecordHeader(key: "dlq.partition", value: Array(String(place.partition).utf8)))
        headers.append(RecordHeader(key: "dlq.offset", value: Array(String(place.offset).utf8)))
        return Emission(topic: topic, key: record.key.map(Array.init), value: record.value.map(Array.init), headers: headers)
    }
}
