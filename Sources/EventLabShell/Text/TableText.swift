import EventLabCore
import EventLabPatterns

/// How tables read: what building one read, its values, and how far behind its topic it is.
enum TableText {
    /// What building `table` from its log start read, and what compaction and retention had
    /// already removed, so rebuilding from a compacted and a plain topic can be compared.
    /// `deletedBefore` counts the offsets below the partitions' log starts.
    static func built(_ table: EventLabPatterns.Table, _ verb: String, _ report: TableReadReport, deletedBefore: Int64) -> [String] {
        var lines = ["table \(table.name) \(verb) from \(table.topic): read \(count(report.recordsRead, "record")), keeps \(count(report.keysKept, "key"))"]
        if report.recordsRead > 0 {
            var parts = ["\(count(report.valuesStored, "value")), \(count(report.tombstones, "tombstone"))"]
            let skipped = report.skipped.values.reduce(0, +)
            if skipped > 0 { parts.append("\(skipped) without a key skipped (a table keeps the last value per key)") }
            lines.append("  read: " + parts.joined(separator: ", "))
        }
        let topic = table.topic
        if !report.topicIsCompacted {
            lines.append("  \(topic) is not compacted: a rebuild reads every update ever kept; a compacted topic (`topic create \(topic) --compact`) keeps only the last per key")
        } else if report.compactedAway > 0 {
            let offsets = Int64(report.recordsRead) + report.compactedAway
            lines.append("  compaction had removed \(count(report.compactedAway, "older record")): the rebuild read \(report.recordsRead) of \(offsets) offsets")
        } else if report.recordsRead > 0 {
            lines.append("  \(topic) is compacted, but the cleaner has removed nothing yet: `compaction run \(topic)` keeps the last record per key in closed segments")
        }
        if deletedBefore > 0 {
            lines.append("  \(count(deletedBefore, "earlier record")) had been deleted before the log start: a key last written among them is not in the table")
        }
        return lines
    }

    /// How far behind its topic `table` is, in a sentence, and what brings it up to date.
    static func staleness(_ table: EventLabPatterns.Table, _ staleness: TableStaleness, mode: Flows.Mode, timesVary: Bool) -> String {
        guard staleness.recordsBehind > 0 else {
            let read = staleness.partitions.map { "p\($0.partition) @\($0.position)" }.joined(separator: ", ")
            return "\(table.name) is up to date: it has read \(table.topic) to its end (\(read))"
        }
        let read = staleness.partitions.map { "p\($0.partition) @\($0.position) of \($0.logEndOffset)" }.joined(separator: ", ")
        var sentence = "\(table.name) is \(count(staleness.recordsBehind, "record")) behind \(table.topic) (read to \(read))"
        switch staleness.millisecondsBehind {
        case nil: sentence += ", and has read none of its records yet"
        case let milliseconds? where milliseconds > 0:
            let behind = TimeText.formatDuration(milliseconds)
            sentence += ": its newest value is \(timesVary ? Varying.mark(behind, as: .time) : behind) older than the topic's newest record"
        default: break
        }
        switch mode {
        case .manual: sentence += "; flow is manual: `step` brings tables up to date"
        case .auto: sentence += "; it catches up after this command"
        }
        return sentence
    }

    /// `table customer-view ← customers p0 @6…@7`: each table that read on, and the offsets it
    /// read in each partition.
    static func caughtUp(_ before: [String: EventLabPatterns.Table], _ after: [String: EventLabPatterns.Table]) -> [String] {
        after.keys.sorted().compactMap { name in
            let table = after[name]!
            let reads = table.positions.keys.sorted().compactMap { partition -> String? in
                let end = table.positions[partition]!
                guard let start = before[name]?.positions[partition] else { return "p\(partition) up to @\(end - 1)" }
                guard end > start else { return nil }
                return "p\(partition) @\(start)" + (end - start > 1 ? "…@\(end - 1)" : "")
            }
            return reads.isEmpty ? nil : "table \(name) ← \(table.topic) \(reads.joined(separator: ", "))"
        }
    }

    /// A value as one printable line: compact canonical JSON when it is JSON, else its text escaped.
    static func value(_ bytes: [UInt8]) -> String {
        if let json = try? JSONParser.parse(bytes) { return TerminalText.escape(json.description) }
        return TerminalText.escape(bytes)
    }

    /// `p0 @3`: where a value was read.
    static func place(_ entry: TableEntry) -> String { "p\(entry.partition) @\(entry.offset)" }

    /// `1 record`, `3 records`.
    static func count(_ number: some BinaryInteger, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
