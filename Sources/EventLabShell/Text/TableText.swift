import EventLabCore
import EventLabPatterns

/// How tables read: what building one read, its values, and how far behind its topic it is.
enum TableText {
    /// What building `table` from its log start read, and what compaction and retention had
    /// already removed, so rebuilding from a compacted and a plain topic can be compared.
    /// `deletedBefore` counts the offsets below the partitions' log starts; `eventLogReaders`
    /// name the aggregates and projections that read the topic as their events; details are
    /// indented under the first line and wrapped to `width`.
    static func built(
        _ table: EventLabPatterns.Table, _ verb: String, _ report: TableReadReport, deletedBefore: Int64, eventLogReaders: [String] = [], width: Int
    ) -> [String] {
        var details: [String] = []
        if report.recordsRead > 0 {
            var parts = ["\(count(report.valuesStored, "value")), \(count(report.tombstones, "tombstone"))"]
            let skipped = report.skipped.values.reduce(0, +)
            if skipped > 0 { parts.append("\(skipped) without a key skipped (a table keeps the last value per key)") }
            details.append("read: " + parts.joined(separator: ", "))
        }
        let topic = table.topic
        if !report.topicIsCompacted {
            details.append(TableSourceNote.uncompacted(topic, eventLogReaders: eventLogReaders))
        } else if report.compactedAway > 0 {
            let offsets = Int64(report.recordsRead) + report.compactedAway
            details.append("compaction had removed \(count(report.compactedAway, "older record")): the rebuild read \(report.recordsRead) of \(offsets) offsets")
        } else if report.recordsRead > 0 {
            details.append("\(topic) is compacted, but the cleaner has removed nothing yet: `compaction run \(topic)` keeps the last record per key in closed segments")
        }
        if deletedBefore > 0 {
            details.append("\(count(deletedBefore, "earlier record")) had been deleted before the log start: a key last written among them is not in the table")
        }
        let first = "table \(table.name) \(verb) from \(topic): read \(count(report.recordsRead, "record")), keeps \(count(report.keysKept, "key"))"
        return [first] + indented(details, width: width)
    }

    /// How far behind its topic `table` is, and what brings it up to date; details indented
    /// under the first line and wrapped to `width`. A table that has read its whole topic says
    /// only that, and when the last record it read was written: it cannot know of a change its
    /// producer has not published yet (a stopped producer looks just like a quiet one).
    static func staleness(_ table: EventLabPatterns.Table, _ staleness: TableStaleness, mode: Flows.Mode, timesVary: Bool, width: Int) -> [String] {
        guard staleness.recordsBehind > 0 else {
            let read = Self.read(staleness)
            let first = "\(table.name) has caught up with \(table.topic): it has read to its end (\(read))"
            guard let last = staleness.lastRead else { return [first] }
            let time = TimeText.format(last, varies: timesVary)
            return [first] + indented(["its last record is from \(time); a change not yet published to \(table.topic) cannot show here"], width: width)
        }
        let read = Self.read(staleness)
        var details: [String] = []
        switch staleness.millisecondsBehind {
        case nil: details.append("it has read none of them yet")
        case let milliseconds? where milliseconds > 0:
            let behind = TimeText.formatDuration(milliseconds)
            details.append("its newest value is \(timesVary ? Varying.mark(behind, as: .time) : behind) older than the topic's newest record")
        default: break
        }
        switch mode {
        case .manual: details.append("flow is manual: `step` brings tables up to date")
        case .auto: details.append("it catches up after this command")
        }
        return ["\(table.name) is \(count(staleness.recordsBehind, "record")) behind \(table.topic) (it has read \(read))"] + indented(details, width: width)
    }

    /// `p0 up to @1, p1 none of @0–@3`: how far each partition is read, by the offsets of
    /// records, as a projection's query says it.
    private static func read(_ staleness: TableStaleness) -> String {
        staleness.partitions.map {
            "p\($0.partition) " + OffsetText.read(position: $0.position, logStart: $0.logStartOffset, logEnd: $0.logEndOffset)
        }.joined(separator: ", ")
    }

    /// Each of `details` wrapped to `width` and indented two spaces; a command in backticks
    /// stays on one line, so it can be copied whole.
    private static func indented(_ details: [String], width: Int) -> [String] {
        details.flatMap { detail in
            var lines: [String] = []
            var line = ""
            for word in words(detail) {
                if !line.isEmpty && line.displayWidth + 1 + word.displayWidth > max(width - 2, 20) {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            if !line.isEmpty { lines.append(line) }
            return lines.map { "  " + $0 }
        }
    }

    /// The words of `text` at its spaces, a span in backticks kept as one.
    private static func words(_ text: String) -> [String] {
        var words: [String] = []
        var inCode = false
        for word in text.split(separator: " ").map(String.init) {
            if inCode { words[words.count - 1] += " " + word } else { words.append(word) }
            if word.filter({ $0 == "`" }).count % 2 == 1 { inCode.toggle() }
        }
        return words
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
