/// What building a table from a topic that is not compacted says about compaction. A topic
/// that is only a table's source is better compacted: a rebuild then reads little more than the
/// last record per key. But a topic an aggregate or projection reads is an event log, its
/// source of truth: compacting it would delete the history they fold, so the note says what
/// the table and the log each keep instead.
public enum TableSourceNote {
    /// The note for a table of `topic`, not compacted, which `eventLogReaders` (such as
    /// `aggregate wallet`) read as their events.
    public static func uncompacted(_ topic: String, eventLogReaders readers: [String]) -> String {
        guard !readers.isEmpty else {
            return "\(topic) is not compacted, so a rebuild reads every update it keeps; a compacted topic (`topic create \(topic) --compact`) keeps only the last per key"
        }
        let list = readers.count == 1 ? readers[0] : readers.dropLast().joined(separator: ", ") + " and " + readers.last!
        return "\(topic) is not compacted, so a rebuild reads every event; it is the event log \(list) read\(readers.count == 1 ? "s" : ""): the table keeps the last event per key, while the log keeps them all"
    }
}
