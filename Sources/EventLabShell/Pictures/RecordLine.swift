import EventLabCore

/// One consumed record on one line: `p1 @3  o-1  {"type":"OrderPlaced"}  2024-01-01T00:00:05Z`.
enum RecordLine {
    static func render(_ record: Record, partition: Int32, headers: Bool) -> String {
        let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"
        let value = record.value.map { String(decoding: $0, as: UTF8.self) } ?? "(tombstone)"
        var line = "p\(partition) @\(record.offset)  \(key)  \(value)  \(TimeText.format(record.timestamp))"
        if headers && !record.headers.isEmpty {
            line += "  [" + record.headers.map { "\($0.key)=\($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "null")" }.joined(separator: ", ") + "]"
        }
        return line
    }
}
