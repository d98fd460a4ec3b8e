import EventLabCore

/// One consumed record on one line: `p1 @3  o-1  {"type":"OrderPlaced"}  2024-01-01T00:00:05Z`.
///
/// Key, value and headers are escaped (`TerminalText`), so a record cannot break the line. With
/// `timesVary` (the system clock), the timestamp is marked as varying (`Varying`).
enum RecordLine {
    static func render(_ record: Record, partition: Int32, headers: Bool, timesVary: Bool) -> String {
        let key = record.key.map { TerminalText.escape($0) } ?? "-"
        let value = record.value.map { TerminalText.escape($0) } ?? "(tombstone)"
        var line = "p\(partition) @\(record.offset)  \(key)  \(value)  \(TimeText.format(record.timestamp, varies: timesVary))"
        if headers && !record.headers.isEmpty {
            line += "  [" + record.headers.map { "\(TerminalText.escape($0.key))=\($0.value.map { TerminalText.escape($0) } ?? "null")" }.joined(separator: ", ") + "]"
        }
        return line
    }
}
